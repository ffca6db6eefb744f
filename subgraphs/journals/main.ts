/** The journals subgraph process (`npm start` runs it; port FINSYNC_JOURNALS_PORT, default 4104). */
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { journalsSubgraph } from './index';

runSubgraphProcess(journalsSubgraph);
