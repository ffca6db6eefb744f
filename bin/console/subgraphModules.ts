import { invoicesSubgraph } from '../../subgraphs/invoices';
import { journalsSubgraph } from '../../subgraphs/journals';
import { paymentsSubgraph } from '../../subgraphs/payments';
import { postingsSubgraph } from '../../subgraphs/postings';
import { reconciliationSubgraph } from '../../subgraphs/reconciliation';
import { vendorsSubgraph } from '../../subgraphs/vendors';
import type { SubgraphModule } from '../../subgraphs/shared/SubgraphModule';

/** Every subgraph module whose schema the gateway composes. */
export async function allSubgraphModules(): Promise<Array<SubgraphModule<unknown>>> {
  return [
    vendorsSubgraph,
    invoicesSubgraph,
    paymentsSubgraph,
    journalsSubgraph,
    reconciliationSubgraph,
    postingsSubgraph,
  ] as Array<SubgraphModule<unknown>>;
}
