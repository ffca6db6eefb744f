import { Decimal } from '../../../canonical-schema/money/Decimal';
import {
  beyondColumn,
  MONEY_COLUMN,
  QUANTITY_COLUMN,
  type NumericColumn,
} from '../../../canonical-schema/money/storeLimits';
import type { Violation } from '../ValidationRule';
import type { Check } from './Check';

/**
 * Every amount fits the canonical store exactly (canonical-schema/money/storeLimits.ts), and journal lines keep the
 * store's sign rules (a debit or a credit, never negative, never both). Without this a digit too many fails the
 * whole database statement (`numeric field overflow`, an APPLY_FAILED that names no field), and a fifth decimal
 * is rounded away by PostgreSQL without a word.
 */
export const amountsFitStore: Check = async (subject) => {
  const out: Violation[] = [];
  const refuse = (record: string, field: string, what: string, amount: string, problem: string) =>
    out.push({ field, params: { record, what, amount, problem } });
  const fits = (record: string, field: string, what: string, amount: string, column: NumericColumn = MONEY_COLUMN) => {
    const problem = beyondColumn(amount, column);
    if (problem) refuse(record, field, what, amount, problem);
  };
  /** One journal line: each side fits, neither is negative, at most one is not zero (the store's CHECKs). */
  const journalLine = (record: string, prefix: string, debit: string, credit: string) => {
    fits(record, `${prefix}debit`, 'the debit', debit);
    fits(record, `${prefix}credit`, 'the credit', credit);
    for (const [side, amount] of [
      ['debit', debit],
      ['credit', credit],
    ] as const) {
      if (new Decimal(amount).isNegative()) {
        refuse(
          record,
          `${prefix}${side}`,
          `the ${side}`,
          amount,
          'is negative, and a journal line carries a positive debit or credit',
        );
      }
    }
    if (!new Decimal(debit).isZero() && !new Decimal(credit).isZero()) {
      refuse(
        record,
        `${prefix}credit`,
        'the credit',
        credit,
        `comes with a debit of ${debit} on the same line, and a line carries one of the two`,
      );
    }
  };

  switch (subject.type) {
    case 'INVOICE': {
      const c = subject.candidate;
      fits(subject.label, 'subTotal', 'the subtotal', c.subTotal);
      fits(subject.label, 'totalTaxAmount', 'the tax amount', c.totalTaxAmount);
      fits(subject.label, 'totalAmount', 'the total amount', c.totalAmount);
      break;
    }
    case 'INVOICE_LINE': {
      const c = subject.candidate;
      fits(subject.label, 'quantity', 'the quantity', c.quantity, QUANTITY_COLUMN);
      fits(subject.label, 'unitPrice', 'the unit price', c.unitPrice);
      fits(subject.label, 'totalAmount', 'the line amount', c.totalAmount);
      break;
    }
    case 'PAYMENT':
      fits(subject.label, 'totalAmount', 'the payment amount', subject.candidate.totalAmount);
      break;
    case 'JOURNAL_ENTRY': {
      const lines = subject.candidate.lines ?? [];
      lines.forEach((l, i) =>
        journalLine(`Line ${l.lineNumber} of ${subject.label}`, `lines[${i + 1}].`, l.debit, l.credit),
      );
      // The entry's total is stored too, when it is posted (posting.amount, the approval limits compare it).
      if (!out.length && lines.length) {
        const total = lines.reduce((s, l) => s.plus(l.debit), new Decimal(0)).toFixed();
        fits(subject.label, 'lines', 'the total of the debits', total);
      }
      break;
    }
    case 'JOURNAL_LINE':
      journalLine(subject.label, '', subject.candidate.debit, subject.candidate.credit);
      break;
  }
  return out;
};
