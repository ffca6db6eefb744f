import type DataLoader from 'dataloader';
import { rowLoader } from '../../shared/batchLoaders';
import type { Db } from '../../shared/Db';
import { sourceReferenceLoader, type SourceReferenceRow } from '../../shared/sourceReferences';
import { CUSTOMERS_BY_IDS, VENDORS_BY_IDS, type CounterpartyRow } from '../sql/counterparties';

/** The vendors subgraph's per-request loaders. */
export interface VendorLoaders {
  readonly vendor: DataLoader<string, CounterpartyRow | null>;
  readonly customer: DataLoader<string, CounterpartyRow | null>;
  readonly sourceReferences: DataLoader<string, SourceReferenceRow[]>;
}

/** Creates the loaders for one request over its counting `Db`. */
export function createLoaders(db: Db): VendorLoaders {
  return {
    vendor: rowLoader<CounterpartyRow>(db, VENDORS_BY_IDS, (r) => r.id),
    customer: rowLoader<CounterpartyRow>(db, CUSTOMERS_BY_IDS, (r) => r.id),
    sourceReferences: sourceReferenceLoader(db),
  };
}
