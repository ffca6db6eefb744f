import type { Db } from '../../canonical-schema/Db';
import type { InvoicePostingBody } from './InvoicePostingBody';
import type { PostingPolicy } from './PostingPolicy';

/** Reads a canonical invoice with its lines and counterparty as an invoice posting's body; null when unknown. */
export async function loadInvoiceBody(
  db: Db,
  policy: PostingPolicy,
  invoiceId: string,
): Promise<{ body: InvoicePostingBody; status: string; correlationId: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(invoiceId)) return null;
  const { rows } = await db.query<{
    legal_entity_id: string;
    type: 'ACCOUNTS_PAYABLE' | 'ACCOUNTS_RECEIVABLE';
    number: string;
    issue_date: string;
    currency: string;
    sub_total: string;
    total_tax_amount: string;
    total_amount: string;
    memo: string | null;
    status: string;
    correlation_id: string;
    deleted_at_source: boolean;
    cp_type: 'VENDOR' | 'CUSTOMER';
    cp_id: string;
    cp_name: string;
    cp_status: string;
    cp_tax_id: string | null;
  }>(
    `select i.legal_entity_id, i.type, i.number, to_char(i.issue_date, 'YYYY-MM-DD') as issue_date, 
            i.currency, i.sub_total::text, i.total_tax_amount::text, i.total_amount::text, i.memo, i.status,
            i.correlation_id, i.deleted_at_source,
            case when i.vendor_id is not null then 'VENDOR' else 'CUSTOMER' end as cp_type,
            coalesce(v.id, c.id) as cp_id, coalesce(v.name, c.name) as cp_name,
            coalesce(v.status, c.status) as cp_status, coalesce(v.tax_id, c.tax_id) as cp_tax_id
       from invoice i left join vendor v on v.id = i.vendor_id left join customer c on c.id = i.customer_id
      where i.id = $1`,
    [invoiceId],
  );
  const i = rows[0];
  if (!i) return null;
  const lines = await db.query<{
    line_number: number;
    description: string | null;
    quantity: string;
    unit_price: string;
    total_amount: string;
    account_code: string | null;
    tax_code: string | null;
    dimensions: Record<string, string>;
  }>(
    `select l.line_number, l.description, l.quantity::text, l.unit_price::text, l.total_amount::text,
            a.code as account_code, t.code as tax_code, l.dimensions
       from invoice_line l left join account a on a.id = l.account_id left join tax_code t on t.id = l.tax_code_id
      where l.invoice_id = $1 order by l.line_number`,
    [invoiceId],
  );
  return {
    status: i.deleted_at_source ? 'DELETED_AT_SOURCE' : i.status,
    correlationId: i.correlation_id,
    body: {
      canonicalInvoiceId: invoiceId,
      legalEntityId: i.legal_entity_id,
      type: i.type,
      number: i.number,
      issueDate: i.issue_date,
      currency: i.currency.trim(),
      subTotal: i.sub_total,
      totalTaxAmount: i.total_tax_amount,
      totalAmount: i.total_amount,
      memo: i.memo,
      controlAccountCode: policy.controlAccounts[i.type],
      counterparty: { type: i.cp_type, id: i.cp_id, name: i.cp_name, status: i.cp_status, taxId: i.cp_tax_id },
      lines: lines.rows.map((l) => ({
        lineNumber: l.line_number,
        description: l.description,
        quantity: l.quantity,
        unitPrice: l.unit_price,
        totalAmount: l.total_amount,
        accountCode: l.account_code,
        taxCode: l.tax_code,
        dimensions: l.dimensions,
      })),
    },
  };
}
