import { Decimal } from '../../../canonical-schema/money/Decimal';

/** Invoice–payment matching: how the settled payments cover the invoice total. */
export function paymentMatchStatus(total: string, paid: string): 'UNPAID' | 'PARTIALLY_PAID' | 'PAID' | 'OVERPAID' {
  const t = new Decimal(total);
  const p = new Decimal(paid);
  if (p.isZero()) return 'UNPAID';
  if (p.lt(t)) return 'PARTIALLY_PAID';
  return p.eq(t) ? 'PAID' : 'OVERPAID';
}
