/** The vendors subgraph process (`npm start` runs it; port FINSYNC_VENDORS_PORT, default 4101). */
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { vendorsSubgraph } from './index';

runSubgraphProcess(vendorsSubgraph);
