import { INVOICE_COLUMNS } from './invoiceColumns';

/** Invoices by canonical id; `$1` = uuid[]. */
export const INVOICES_BY_IDS = `select ${INVOICE_COLUMNS} from invoice i where i.id = any($1::uuid[])`;
