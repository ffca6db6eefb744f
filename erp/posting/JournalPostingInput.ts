import { Decimal } from '../../canonical-schema/money/Decimal';
import { z } from 'zod';
import type { PostingUserError } from './PostingUserError';

const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal number written as a string, such as "1250.00"');

/** One journal line as an application sends it. */
const JournalPostingLine = z
  .object({
    accountCode: z.string().min(1, 'is required'),
    description: z.string().nullable().default(null),
    debit: decimal.default('0'),
    credit: decimal.default('0'),
    /** Dimension type → code, e.g. `{ "DEPARTMENT": "D-ENG" }`. */
    dimensions: z.record(z.string(), z.string()).default({}),
    /** The vendor or customer of a line on a receivable or payable account (canonical id). */
    counterparty: z
      .object({ type: z.enum(['VENDOR', 'CUSTOMER']), id: z.string().uuid() })
      .nullable()
      .default(null),
  })
  .strict();

/**
 * `postJournalEntry`'s input: a manual or system journal (an accrual, a payroll release) in one currency.
 * Field names follow the canonical JournalEntry. `sourceDocument` names what the journal books (a payroll run…):
 * the same source document is never posted twice.
 */
export const JournalPostingInput = z
  .object({
    legalEntityId: z.string().min(1, 'is required'),
    journalType: z.enum(['GENERAL', 'PAYROLL', 'ACCRUAL']).default('GENERAL'),
    /** The application's own number for the journal, shown in messages; optional. */
    number: z.string().min(1).nullable().default(null),
    transactionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
    memo: z.string().nullable().default(null),
    sourceDocument: z
      .object({ type: z.string().min(1), id: z.string().min(1) })
      .strict()
      .nullable()
      .default(null),
    lines: z.array(JournalPostingLine).min(2, 'needs at least two lines'),
  })
  .strict();
export type JournalPostingInput = z.infer<typeof JournalPostingInput>;
export type JournalPostingLine = z.infer<typeof JournalPostingLine>;

/**
 * Parses the input: zod's problems become userErrors naming the field (`lines[2].debit`, 1-based like the
 * messages), and every line must carry exactly one of debit or credit. Amounts are normalised (`100` and `100.00`
 * are the same body), so the idempotency check compares what the journal means, not how it was typed.
 */
export function parseJournalInput(
  input: unknown,
): { ok: true; value: JournalPostingInput } | { ok: false; userErrors: PostingUserError[] } {
  const parsed = JournalPostingInput.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      userErrors: parsed.error.issues.map((i) => ({
        code: 'INVALID_FIELD',
        field: fieldPath(i.path),
        message: `${fieldPath(i.path) || 'The input'} ${i.message}.`,
      })),
    };
  }
  const value = parsed.data;
  const userErrors: PostingUserError[] = [];
  const lines = value.lines.map((l, i) => {
    const debit = new Decimal(l.debit);
    const credit = new Decimal(l.credit);
    if (debit.isZero() === credit.isZero()) {
      userErrors.push({
        code: 'INVALID_LINE_AMOUNT',
        field: `lines[${i + 1}]`,
        message: `Line ${i + 1} (account ${l.accountCode}) must have either a debit or a credit, not ${debit.isZero() ? 'neither' : 'both'}.`,
      });
    }
    return { ...l, debit: debit.toFixed(), credit: credit.toFixed() };
  });
  return userErrors.length ? { ok: false, userErrors } : { ok: true, value: { ...value, lines } };
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p + 1}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
