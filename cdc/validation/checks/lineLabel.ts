import type { Subject } from '../Subject';

/** The lines of a subject that carry an account and dimensions, each with the label messages use. */
export function accountLines(subject: Subject): Array<{
  label: string;
  field: string;
  legalEntityId: string;
  accountCode: string | null;
  dimensions: Readonly<Record<string, string>>;
}> {
  if (subject.type === 'INVOICE_LINE') {
    const c = subject.candidate;
    return [
      {
        label: subject.label,
        field: 'accountCode',
        legalEntityId: subject.legalEntityId,
        accountCode: c.accountCode,
        dimensions: c.dimensions,
      },
    ];
  }
  if (subject.type === 'JOURNAL_ENTRY') {
    const c = subject.candidate;
    return (c.lines ?? []).map((l, i) => ({
      label: `Line ${l.lineNumber} of ${subject.label}`,
      field: `lines[${i + 1}]`,
      legalEntityId: c.legalEntityId,
      accountCode: l.accountCode,
      dimensions: l.dimensions,
    }));
  }
  return [];
}
