/** The reconciliation subgraph process (`npm start` runs it; port FINSYNC_RECONCILIATION_PORT, default 4105). */
// First: tracing (when configured) must patch pg and http before they load.
import '../../runtime/tracing/register';
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { reconciliationSubgraph } from './index';

runSubgraphProcess(reconciliationSubgraph);
