import type { InvoiceLineCandidate } from '../../canonical-schema/model/candidates';
import type { Db } from './Db';
import type { ReferenceCache } from './loadReferenceCache';

/** Inserts or updates one invoice line, linking its account and tax code. */
export async function applyInvoiceLine(
  db: Db,
  line: InvoiceLineCandidate,
  legalEntityId: string,
  reference: ReferenceCache,
  existingId: string | null,
): Promise<{ canonicalId: string }> {
  const accountId = line.accountCode ? (reference.account(legalEntityId, line.accountCode)?.id ?? null) : null;
  const { rows } = await db.query<{ id: string }>(
    `insert into invoice_line (id, invoice_id, line_number, description, quantity, unit_price, total_amount, account_id, tax_code_id, dimensions)
     values (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8,
             (select id from tax_code where legal_entity_id = $10 and code = $9), $11)
     on conflict (id) do update set invoice_id = excluded.invoice_id, line_number = excluded.line_number,
       description = excluded.description, quantity = excluded.quantity, unit_price = excluded.unit_price,
       total_amount = excluded.total_amount, account_id = excluded.account_id, tax_code_id = excluded.tax_code_id,
       dimensions = excluded.dimensions
     returning id`,
    [
      existingId,
      line.invoiceId,
      line.lineNumber,
      line.description,
      line.quantity,
      line.unitPrice,
      line.totalAmount,
      accountId,
      line.taxCode,
      legalEntityId,
      JSON.stringify(line.dimensions),
    ],
  );
  return { canonicalId: rows[0]!.id };
}
