/** The payments subgraph process (`npm start` runs it; port FINSYNC_PAYMENTS_PORT, default 4103). */
// First: tracing (when configured) must patch pg and http before they load.
import '../../runtime/tracing/register';
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { paymentsSubgraph } from './index';

runSubgraphProcess(paymentsSubgraph);
