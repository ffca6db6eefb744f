import { Decimal, moneyText } from '../../../canonical-schema/money/Decimal';
import type { Check } from './Check';

/** Debits equal credits (a journal is in one currency, so per currency means for that currency). */
export const balancedPerCurrency: Check = async (subject) => {
  if (subject.type !== 'JOURNAL_ENTRY') return [];
  const c = subject.candidate;
  // Lines sent as rows of their own (the ERP's) were balanced by the ERP when it posted the move.
  if (!c.lines) return [];
  const lines = c.lines;
  const debit = lines.reduce((sum, l) => sum.plus(l.debit), new Decimal(0));
  const credit = lines.reduce((sum, l) => sum.plus(l.credit), new Decimal(0));
  if (debit.equals(credit)) return [];
  return [
    {
      field: 'lines',
      params: {
        number: c.number,
        currency: c.currency,
        debit: moneyText(debit),
        credit: moneyText(credit),
        difference: moneyText(debit.minus(credit).abs()),
      },
    },
  ];
};
