import type { CustomerCandidate } from '../../canonical-schema/model/candidates';
import type { Db } from './Db';
import type { SourceRow } from './SourceRow';

/** Inserts or updates a customer; returns its id and the status it had before. */
export async function applyCustomer(
  db: Db,
  row: SourceRow,
  c: CustomerCandidate,
  existingId: string | null,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  if (existingId) {
    const { rows } = await db.query<{ status: string }>(
      `update customer set legal_entity_id = $2, name = $3, tax_id = $4, email = $5, currency = $6, status = $7,
              source_updated_at = $8, canonical_updated_at = now(), deleted_at_source = false, version = version + 1,
              mapping_version = $9
        where id = $1
        returning (select status from customer where id = $1) as status`,
      [
        existingId,
        c.legalEntityId,
        c.name,
        c.taxId,
        c.email,
        c.currency,
        c.status,
        row.committedAt,
        row.mappingVersion,
      ],
    );
    return { canonicalId: existingId, oldStatus: rows[0]?.status ?? null };
  }
  const { rows } = await db.query<{ id: string }>(
    `insert into customer (legal_entity_id, name, tax_id, email, currency, status, correlation_id, source_updated_at, mapping_version)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [
      c.legalEntityId,
      c.name,
      c.taxId,
      c.email,
      c.currency,
      c.status,
      row.correlationId,
      row.committedAt,
      row.mappingVersion,
    ],
  );
  return { canonicalId: rows[0]!.id, oldStatus: null };
}
