import type { InvoiceCandidate } from '../../canonical-schema/model/candidates';
import type { Db } from './Db';
import type { SourceRow } from './SourceRow';

/** Inserts or updates an invoice header; returns its id and the status it had before. */
export async function applyInvoice(
  db: Db,
  row: SourceRow,
  inv: InvoiceCandidate,
  fiscalYear: number,
  existingId: string | null,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  const vendorId = inv.type === 'ACCOUNTS_PAYABLE' ? inv.counterpartyId : null;
  const customerId = inv.type === 'ACCOUNTS_RECEIVABLE' ? inv.counterpartyId : null;
  const values = [
    inv.legalEntityId,
    inv.type,
    inv.isCreditNote,
    inv.number,
    vendorId,
    customerId,
    inv.issueDate,
    inv.dueDate,
    fiscalYear,
    inv.currency,
    inv.subTotal,
    inv.totalTaxAmount,
    inv.totalAmount,
    inv.status,
    inv.memo,
    row.committedAt,
    row.mappingVersion,
  ];
  if (existingId) {
    const { rows } = await db.query<{ status: string }>(
      `update invoice set legal_entity_id = $1, type = $2, is_credit_note = $3, number = $4, vendor_id = $5, customer_id = $6,
              issue_date = $7, due_date = $8, fiscal_year = $9, currency = $10, sub_total = $11, total_tax_amount = $12,
              total_amount = $13, balance = $13, status = $14, memo = $15, source_updated_at = $16, mapping_version = $17,
              canonical_updated_at = now(), deleted_at_source = false, version = version + 1
        where id = $18
        returning (select status from invoice where id = $18) as status`,
      [...values, existingId],
    );
    return { canonicalId: existingId, oldStatus: rows[0]?.status ?? null };
  }
  const { rows } = await db.query<{ id: string }>(
    `insert into invoice (legal_entity_id, type, is_credit_note, number, vendor_id, customer_id, issue_date, due_date, fiscal_year,
                          currency, sub_total, total_tax_amount, total_amount, balance, status, memo, source_updated_at,
                          mapping_version, correlation_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17, $18) returning id`,
    [...values, row.correlationId],
  );
  return { canonicalId: rows[0]!.id, oldStatus: null };
}
