/** The vendors subgraph process (`npm start` runs it; port FINSYNC_VENDORS_PORT, default 4101). */
// First: tracing (when configured) must patch pg and http before they load.
import '../../runtime/tracing/register';
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { vendorsSubgraph } from './index';

runSubgraphProcess(vendorsSubgraph);
