import { Decimal, moneyText } from '../../../canonical-schema/money/Decimal';
import type { Violation } from '../ValidationRule';
import type { Check } from './Check';

/** Totals add up and nothing is negative that cannot be. */
export const amountsSane: Check = async (subject) => {
  const out: Violation[] = [];
  const problem = (field: string, text: string) =>
    out.push({ field, params: { document: subject.label, problem: text } });
  if (subject.type === 'INVOICE') {
    const c = subject.candidate;
    const sub = new Decimal(c.subTotal);
    const tax = new Decimal(c.totalTaxAmount);
    const total = new Decimal(c.totalAmount);
    if (total.isNegative()) problem('totalAmount', `the total ${c.totalAmount} ${c.currency} is negative`);
    if (tax.isNegative()) problem('totalTaxAmount', `the tax ${c.totalTaxAmount} ${c.currency} is negative`);
    if (!sub.plus(tax).equals(total)) {
      problem(
        'totalAmount',
        `subtotal ${c.subTotal} plus tax ${c.totalTaxAmount} is not the total ${c.totalAmount} ${c.currency}`,
      );
    }
  } else if (subject.type === 'INVOICE_LINE') {
    const c = subject.candidate;
    const expected = new Decimal(c.quantity).times(c.unitPrice);
    // Sources round a line to the cent: allow that rounding, nothing more.
    if (expected.minus(c.totalAmount).abs().greaterThan('0.01')) {
      problem(
        'totalAmount',
        `quantity ${c.quantity} × unit price ${c.unitPrice} is ${moneyText(expected)}, not the line amount ${c.totalAmount}`,
      );
    }
  } else if (subject.type === 'PAYMENT') {
    const c = subject.candidate;
    if (!new Decimal(c.totalAmount).isPositive())
      problem('totalAmount', `the payment amount ${c.totalAmount} ${c.currency} is not positive`);
  }
  return out;
};
