/** The payments subgraph process (`npm start` runs it; port FINSYNC_PAYMENTS_PORT, default 4103). */
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { paymentsSubgraph } from './index';

runSubgraphProcess(paymentsSubgraph);
