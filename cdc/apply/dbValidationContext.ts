import type { ValidationContext } from '../validation/ValidationContext';
import type { Db } from './Db';
import type { ReferenceCache } from './loadReferenceCache';

/** The validation context over the batch transaction: reference data from the cache, the rest from SQL. */
export function dbValidationContext(db: Db, reference: ReferenceCache): ValidationContext {
  return {
    reference,
    counterparty: async (type, id) => {
      const table = type === 'VENDOR' ? 'vendor' : 'customer';
      const { rows } = await db.query<{ name: string; status: string }>(
        `select name, status from ${table} where id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },
    invoiceWithNumber: async ({ legalEntityId, counterpartyId, fiscalYear, number, excludeId }) => {
      const { rows } = await db.query<{ source_id: string }>(
        `select coalesce(r.source_id, i.id::text) as source_id
           from invoice i
           left join source_reference r on r.canonical_id = i.id and r.object_type = 'INVOICE' and r.role = 'SOURCE'
          where i.legal_entity_id = $1 and (i.vendor_id = $2 or i.customer_id = $2) and i.fiscal_year = $3
            and i.number = $4 and not i.deleted_at_source and ($5::uuid is null or i.id <> $5::uuid)
          limit 1`,
        [legalEntityId, counterpartyId, fiscalYear, number, excludeId],
      );
      return rows[0] ? { sourceId: rows[0].source_id } : null;
    },
  };
}
