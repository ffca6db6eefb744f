import type { PaymentCandidate } from '../../canonical-schema/model/candidates';
import type { Db } from './Db';
import type { SourceRow } from './SourceRow';

/** Inserts or updates a payment and its allocation to the invoice it pays. */
export async function applyPayment(
  db: Db,
  row: SourceRow,
  p: PaymentCandidate,
  existingId: string | null,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  const vendorId = p.direction === 'OUTBOUND' ? p.counterpartyId : null;
  const customerId = p.direction === 'INBOUND' ? p.counterpartyId : null;
  const values = [
    p.legalEntityId,
    p.direction,
    vendorId,
    customerId,
    p.paymentDate,
    p.currency,
    p.totalAmount,
    p.reference,
    p.status,
    row.committedAt,
    row.mappingVersion,
  ];
  let canonicalId: string;
  let oldStatus: string | null = null;
  if (existingId) {
    const { rows } = await db.query<{ status: string }>(
      `update payment set legal_entity_id = $1, direction = $2, vendor_id = $3, customer_id = $4, payment_date = $5, currency = $6,
              total_amount = $7, reference = $8, status = $9, source_updated_at = $10, mapping_version = $11,
              canonical_updated_at = now(), deleted_at_source = false, version = version + 1
        where id = $12
        returning (select status from payment where id = $12) as status`,
      [...values, existingId],
    );
    canonicalId = existingId;
    oldStatus = rows[0]?.status ?? null;
    await db.query(`delete from payment_allocation where payment_id = $1`, [canonicalId]);
  } else {
    const { rows } = await db.query<{ id: string }>(
      `insert into payment (legal_entity_id, direction, vendor_id, customer_id, payment_date, currency, total_amount, reference, status,
                            source_updated_at, mapping_version, correlation_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
      [...values, row.correlationId],
    );
    canonicalId = rows[0]!.id;
  }
  await db.query(`insert into payment_allocation (payment_id, invoice_id, amount, currency) values ($1, $2, $3, $4)`, [
    canonicalId,
    p.invoiceId,
    p.totalAmount,
    p.currency,
  ]);
  return { canonicalId, oldStatus };
}
