/** The postings subgraph process (`npm start` runs it; port FINSYNC_POSTINGS_PORT, default 4106). */
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { postingsSubgraph } from './index';

runSubgraphProcess(postingsSubgraph);
