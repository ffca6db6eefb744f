/** Lines of the given invoices, in line order; `$1` = uuid[]. */
export const LINES_BY_INVOICE_IDS = `select invoice_id::text, line_number, description, quantity::text, unit_price::text,
  total_amount::text, account_id::text, tax_code_id::text, dimensions
  from invoice_line where invoice_id = any($1::uuid[]) order by invoice_id, line_number`;

export interface InvoiceLineRow {
  readonly invoice_id: string;
  readonly line_number: number;
  readonly description: string | null;
  readonly quantity: string;
  readonly unit_price: string;
  readonly total_amount: string;
  readonly account_id: string | null;
  readonly tax_code_id: string | null;
  readonly dimensions: Record<string, string>;
}
