import type { Violation } from '../ValidationRule';
import type { Check } from './Check';

const plausible = (date: string): boolean => {
  const year = Number(date.slice(0, 4));
  return year >= 2000 && year <= 2100 && !Number.isNaN(Date.parse(date));
};

/** Dates are real calendar dates in a plausible range, and an invoice is not due before it is issued. */
export const datesSane: Check = async (subject) => {
  const out: Violation[] = [];
  const problem = (field: string, text: string) =>
    out.push({ field, params: { document: subject.label, problem: text } });
  if (subject.type === 'INVOICE') {
    const { issueDate, dueDate } = subject.candidate;
    if (!plausible(issueDate)) problem('issueDate', `the issue date ${issueDate} is not plausible`);
    if (dueDate && dueDate < issueDate)
      problem('dueDate', `it is due on ${dueDate}, before its issue date ${issueDate}`);
  } else if (subject.type === 'PAYMENT') {
    if (!plausible(subject.candidate.paymentDate))
      problem('paymentDate', `the payment date ${subject.candidate.paymentDate} is not plausible`);
  } else if (subject.type === 'JOURNAL_ENTRY') {
    const d = subject.candidate.transactionDate;
    if (!plausible(d)) problem('transactionDate', `the transaction date ${d} is not plausible`);
  }
  return out;
};
