/** The postings subgraph process (`npm start` runs it; port FINSYNC_POSTINGS_PORT, default 4106). */
// First: tracing (when configured) must patch pg and http before they load.
import '../../runtime/tracing/register';
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { postingsSubgraph } from './index';

runSubgraphProcess(postingsSubgraph);
