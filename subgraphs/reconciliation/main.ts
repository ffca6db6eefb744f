/** The reconciliation subgraph process (`npm start` runs it; port FINSYNC_RECONCILIATION_PORT, default 4105). */
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { reconciliationSubgraph } from './index';

runSubgraphProcess(reconciliationSubgraph);
