import { createHash } from 'node:crypto';

/** An exception to open in the finance work queue (table `exception`). */
export interface ExceptionInput {
  readonly code: string;
  /** Business words: the record and the rule it breaks, and what to do. */
  readonly message: string;
  readonly severity?: 'ERROR' | 'WARNING';
  readonly ruleId?: string | null;
  readonly ruleVersion?: number | null;
  readonly objectType?: string | null;
  readonly field?: string | null;
  readonly legalEntityId?: string | null;
  readonly source?: { readonly system: string; readonly table: string; readonly sourceId: string } | null;
  readonly canonicalId?: string | null;
  readonly correlationId?: string | null;
  /** The decoded change, or for a poison message its raw payload. */
  readonly sourceEvent: unknown;
  /** What makes two exceptions the same problem; defaults to code + source row + field + rule. */
  readonly fingerprint?: string;
}

/** The stored fingerprint: one open exception per problem, however often the event is redelivered. */
export function exceptionFingerprint(e: ExceptionInput): string {
  return createHash('sha1')
    .update(
      e.fingerprint ?? [e.code, e.source?.system, e.source?.table, e.source?.sourceId, e.field, e.ruleId].join('|'),
    )
    .digest('hex');
}
