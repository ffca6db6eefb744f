import { decodeMessage, type DecodeFailure, type RawMessage } from '../envelope/decodeMessage';
import type { CodeTranslations } from '../mapping/CodeTranslations';
import type { MappingRules } from '../mapping/loadMappingRules';
import { planChange, type PlannedChange } from './planChange';

/** One message of a batch after decoding and planning. */
export type PreparedMessage =
  | { readonly kind: 'poison'; readonly message: RawMessage; readonly error: DecodeFailure }
  | { readonly kind: 'tombstone'; readonly message: RawMessage }
  | { readonly kind: 'change'; readonly message: RawMessage; readonly plan: PlannedChange };

const RANKS: Readonly<Record<string, number>> = {
  VENDOR: 0,
  CUSTOMER: 0,
  INVOICE: 1,
  INVOICE_LINE: 2,
  PAYMENT: 2,
  JOURNAL_ENTRY: 2,
};

/** Decodes and plans every message of a batch: pure work, done before the batch waits for the database. */
export function prepareBatch(
  messages: readonly RawMessage[],
  rules: MappingRules,
  translations: CodeTranslations,
): PreparedMessage[] {
  return messages.map((message): PreparedMessage => {
    const decoded = decodeMessage(message);
    if (!decoded.ok) return { kind: 'poison', message, error: decoded.error };
    if (decoded.event.kind === 'tombstone') return { kind: 'tombstone', message };
    return { kind: 'change', message, plan: planChange(decoded.event, rules, translations) };
  });
}

/** Where a batch stands in the parent-before-child order: master data first, documents, then lines. */
export function rankOf(prepared: readonly PreparedMessage[]): number {
  let rank = 3;
  for (const p of prepared) {
    if (p.kind === 'change' && p.plan.kind === 'row') rank = Math.min(rank, RANKS[p.plan.rule.target] ?? 3);
  }
  return rank;
}
