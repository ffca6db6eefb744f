/** The invoices subgraph process (`npm start` runs it; port FINSYNC_INVOICES_PORT, default 4102). */
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { invoicesSubgraph } from './index';

runSubgraphProcess(invoicesSubgraph);
