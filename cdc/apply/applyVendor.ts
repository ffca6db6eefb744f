import type { VendorCandidate } from '../../canonical-schema/model/candidates';
import type { Db } from './Db';
import { normalizeName } from './normalizeName';
import type { SourceRow } from './SourceRow';

/** Above this trigram similarity of normalized names, two vendors are probably the same company. */
export const NAME_SIMILARITY_THRESHOLD = 0.8;

export type VendorOutcome =
  | {
      readonly kind: 'applied';
      readonly canonicalId: string;
      readonly oldStatus: string | null;
      readonly merged: boolean;
    }
  | { readonly kind: 'duplicate'; readonly existingId: string; readonly existingName: string; readonly reason: string };

/**
 * Applies a vendor to the golden record. An existing source reference updates its vendor. A new source row
 * is matched against the entity's vendors: the same tax id or IBAN held only by another source system's
 * record links the two (one vendor, both references); a match within the same source system, or a name
 * alone that is nearly the same, is a duplicate for a person to decide — never merged or created silently.
 */
export async function applyVendor(
  db: Db,
  row: SourceRow,
  v: VendorCandidate,
  existingId: string | null,
): Promise<VendorOutcome> {
  const normalized = normalizeName(v.name);
  if (existingId) {
    const { rows } = await db.query<{ status: string }>(
      `update vendor set name = $2, normalized_name = $3, tax_id = $4, iban = $5, email = $6, currency = $7, status = $8,
              legal_entity_id = $9, source_updated_at = $10, canonical_updated_at = now(), deleted_at_source = false,
              version = version + 1, mapping_version = $11
        where id = $1
        returning (select status from vendor where id = $1) as status`,
      [
        existingId,
        v.name,
        normalized,
        v.taxId,
        v.iban,
        v.email,
        v.currency,
        v.status,
        v.legalEntityId,
        row.committedAt,
        row.mappingVersion,
      ],
    );
    return { kind: 'applied', canonicalId: existingId, oldStatus: rows[0]?.status ?? null, merged: false };
  }

  const { rows: matches } = await db.query<{
    id: string;
    name: string;
    tax_id: string | null;
    iban: string | null;
    similarity: number;
    same_system: boolean;
  }>(
    `select v.id, v.name, v.tax_id, v.iban, similarity(v.normalized_name, $4) as similarity,
            exists (select 1 from source_reference r where r.canonical_id = v.id and r.object_type = 'VENDOR' and r.system = $5) as same_system
       from vendor v
      where v.legal_entity_id = $1 and not v.deleted_at_source
        and ((v.tax_id is not null and v.tax_id = $2) or (v.iban is not null and v.iban = $3) or v.normalized_name % $4)
      order by (v.tax_id = $2 or v.iban = $3) desc nulls last, similarity desc
      limit 1`,
    [v.legalEntityId, v.taxId, v.iban, normalized, row.system],
  );
  const match = matches[0];
  if (match) {
    const strong = (v.taxId !== null && match.tax_id === v.taxId) || (v.iban !== null && match.iban === v.iban);
    if (strong && !match.same_system) {
      // The same company seen by another system: link this source to the golden record, fill its gaps.
      await db.query(
        `update vendor set tax_id = coalesce(tax_id, $2), iban = coalesce(iban, $3), email = coalesce(email, $4),
                currency = coalesce(currency, $5), canonical_updated_at = now(), version = version + 1
          where id = $1`,
        [match.id, v.taxId, v.iban, v.email, v.currency],
      );
      return { kind: 'applied', canonicalId: match.id, oldStatus: null, merged: true };
    }
    if (strong || match.similarity >= NAME_SIMILARITY_THRESHOLD) {
      const reason =
        v.taxId !== null && match.tax_id === v.taxId
          ? `the same tax id ${v.taxId}`
          : v.iban !== null && match.iban === v.iban
            ? `the same bank account (IBAN ending ${v.iban.slice(-4)})`
            : `a nearly identical name (similarity ${Number(match.similarity).toFixed(2)})`;
      return { kind: 'duplicate', existingId: match.id, existingName: match.name, reason };
    }
  }

  const { rows } = await db.query<{ id: string }>(
    `insert into vendor (legal_entity_id, name, normalized_name, tax_id, iban, email, currency, status, correlation_id,
                         source_updated_at, mapping_version)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [
      v.legalEntityId,
      v.name,
      normalized,
      v.taxId,
      v.iban,
      v.email,
      v.currency,
      v.status,
      row.correlationId,
      row.committedAt,
      row.mappingVersion,
    ],
  );
  return { kind: 'applied', canonicalId: rows[0]!.id, oldStatus: null, merged: false };
}
