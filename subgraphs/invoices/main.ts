/** The invoices subgraph process (`npm start` runs it; port FINSYNC_INVOICES_PORT, default 4102). */
// First: tracing (when configured) must patch pg and http before they load.
import '../../runtime/tracing/register';
import { runSubgraphProcess } from '../shared/runSubgraphProcess';
import { invoicesSubgraph } from './index';

runSubgraphProcess(invoicesSubgraph);
