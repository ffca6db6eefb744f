import type { RequestContext } from '../../shared/RequestContext';
import type { ReconciliationLoaders } from '../loaders/createLoaders';

/** The reconciliation subgraph's resolver context. */
export type Ctx = RequestContext<ReconciliationLoaders>;
