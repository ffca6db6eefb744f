import type { Db } from '../../../canonical-schema/Db';
import type { JournalPostingInput } from '../JournalPostingInput';
import type { PostingUserError } from '../PostingUserError';
import { violation } from '../postingRules';

/** A journal line's counterparty as found in the canonical store. */
export interface ResolvedCounterparty {
  readonly lineIndex: number;
  readonly name: string;
  readonly taxId: string | null;
}

/**
 * Every counterparty a journal line names exists in the canonical store, belongs to the journal's entity, is
 * ACTIVE, and has a tax id (the ERP's party is found by it).
 */
export async function checkCounterparties(
  db: Db,
  input: JournalPostingInput,
  label: (i: number) => string,
): Promise<{ userErrors: PostingUserError[]; resolved: ResolvedCounterparty[] }> {
  const userErrors: PostingUserError[] = [];
  const resolved: ResolvedCounterparty[] = [];
  for (const [i, line] of input.lines.entries()) {
    if (!line.counterparty) continue;
    const { type, id } = line.counterparty;
    const table = type === 'VENDOR' ? 'vendor' : 'customer';
    const { rows } = await db.query<{ name: string; status: string; tax_id: string | null; legal_entity_id: string }>(
      `select name, status, tax_id, legal_entity_id from ${table} where id = $1`,
      [id],
    );
    const c = rows[0];
    const field = `lines[${i + 1}].counterparty`;
    const params = { line: label(i), counterpartyType: type.toLowerCase(), counterparty: c ? `${c.name} (${id})` : id };
    if (!c) userErrors.push(violation('COUNTERPARTY_VALID', field, { ...params, problem: 'does not exist' }));
    else if (c.legal_entity_id !== input.legalEntityId) {
      userErrors.push(
        violation('COUNTERPARTY_VALID', field, {
          ...params,
          problem: `belongs to ${c.legal_entity_id}, not ${input.legalEntityId}`,
        }),
      );
    } else if (c.status !== 'ACTIVE') {
      userErrors.push(
        violation('COUNTERPARTY_VALID', field, {
          ...params,
          problem: `is ${c.status}: only active counterparties may be posted to`,
        }),
      );
    } else if (!c.tax_id) {
      userErrors.push(
        violation('COUNTERPARTY_VALID', field, {
          ...params,
          problem: 'has no tax id, by which the ERP party is found',
        }),
      );
    } else resolved.push({ lineIndex: i, name: c.name, taxId: c.tax_id });
  }
  return { userErrors, resolved };
}
