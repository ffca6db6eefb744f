/** The journals subgraph process (`npm start` runs it; port FINSYNC_JOURNALS_PORT, default 4104). */
// First: tracing (when configured) must patch pg and http before they load.
import '../../runtime/tracing/register';
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { journalsSubgraph } from './index';

runSubgraphProcess(journalsSubgraph);
