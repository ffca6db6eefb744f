import type { ObjectType } from '../../canonical-schema/model/enums';
import { decodeMessage, type DecodeFailure, type RawMessage } from '../envelope/decodeMessage';
import type { CodeTranslations } from '../mapping/CodeTranslations';
import type { MappingRules } from '../mapping/loadMappingRules';
import { planChange, type PlannedChange } from './planChange';

/** One message of a batch after decoding and planning. */
export type PreparedMessage =
  | { readonly kind: 'poison'; readonly message: RawMessage; readonly error: DecodeFailure }
  | { readonly kind: 'tombstone'; readonly message: RawMessage }
  | { readonly kind: 'change'; readonly message: RawMessage; readonly plan: PlannedChange };

/** Parents before children: master data and reference data, documents, then lines and payments. */
const RANKS: Readonly<Record<ObjectType, number>> = {
  ACCOUNT: 0,
  ACCOUNTING_PERIOD: 0,
  VENDOR: 0,
  CUSTOMER: 0,
  INVOICE: 1,
  JOURNAL_ENTRY: 1,
  INVOICE_LINE: 2,
  PAYMENT: 2,
  JOURNAL_LINE: 2,
  // The ERP's documents after the moves and move lines they point at (a payment names the line it pays).
  ERP_INVOICE: 3,
  ERP_INVOICE_LINE: 4,
  ERP_INVOICE_TAX: 4,
  ERP_PAYMENT: 4,
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

/** Where a change's object stands in the parent-before-child order. */
export function rankOfTarget(target: ObjectType): number {
  return RANKS[target];
}
