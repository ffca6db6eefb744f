import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fillTemplate } from '../../cdc/validation/validate';
import type { PostingUserError } from './PostingUserError';

const RulesSchema = z.object({
  version: z.number().int().positive(),
  owner: z.string(),
  description: z.string(),
  rules: z.array(
    z
      .object({
        id: z.string().regex(/^[A-Z_]+$/),
        version: z.number().int().positive(),
        code: z.string().regex(/^[A-Z_]+$/),
        message: z.string().min(1),
      })
      .strict(),
  ),
});

const rules = new Map(
  RulesSchema.parse(JSON.parse(readFileSync(join(__dirname, 'rules.json'), 'utf8'))).rules.map((r) => [r.id, r]),
);

/** The posting rule ids of `rules.json`. */
export type PostingRuleId =
  | 'PRINCIPAL_PERMITTED'
  | 'ROLE_AMOUNT_LIMIT'
  | 'IDEMPOTENCY_KEY_SAME_BODY'
  | 'SOURCE_DOCUMENT_ONCE'
  | 'COUNTERPARTY_VALID'
  | 'COUNTERPARTY_WHERE_REQUIRED'
  | 'COUNTERPARTY_ONLY_WHERE_REQUIRED'
  | 'COUNTERPARTY_IN_ERP'
  | 'ENTITY_IN_ERP'
  | 'CURRENCY_CONVERTIBLE_IN_ERP'
  | 'PERIOD_OPEN_IN_ERP'
  | 'ACCOUNT_POSTABLE_IN_ERP'
  | 'INVOICE_POSTABLE'
  | 'POSTING_STATUS'
  | 'SEGREGATION_OF_DUTIES'
  | 'REJECTION_REASON'
  | 'NOT_IN_FLIGHT'
  | 'POSTING_EXISTS';

/** A violation of a posting rule as a userError: the rule's code and its message filled with `params`. */
export function violation(
  ruleId: PostingRuleId,
  field: string | null,
  params: Readonly<Record<string, string>>,
): PostingUserError {
  const rule = rules.get(ruleId);
  if (!rule) throw new Error(`erp/posting/rules.json has no rule ${ruleId}`);
  return { code: rule.code, field, message: fillTemplate(rule.message, params) };
}
