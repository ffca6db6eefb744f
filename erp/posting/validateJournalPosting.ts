import { Decimal, moneyText } from '../../canonical-schema/money/Decimal';
import type { Db } from '../../canonical-schema/Db';
import { dbValidationContext } from '../../cdc/apply/validationContext';
import { validate } from '../../cdc/validation/validate';
import { checkCounterparties } from './checks/checkCounterparties';
import { checkErp } from './checks/checkErp';
import { checkPrincipal } from './checks/checkPrincipal';
import type { JournalPostingInput } from './JournalPostingInput';
import type { PostingDeps } from './PostingDeps';
import type { Principal } from './Principal';
import type { PostingUserError } from './PostingUserError';

/** The journal's amount for approval and limits: its total debits (= credits once balanced), exact. */
export function journalAmount(input: JournalPostingInput): string {
  return moneyText(input.lines.reduce((sum, l) => sum.plus(l.debit), new Decimal(0)));
}

/** "Journal ACC-2026-11" (the application's number) or "Journal <idempotency key>". */
export function journalLabel(input: JournalPostingInput, idempotencyKey: string): string {
  return `Journal ${input.number ?? idempotencyKey}`;
}

/**
 * Everything checked before a journal is accepted, every problem reported together: the principal may post it
 * (role, entity, amount limit); the finance rules of cdc/validation (balanced, accounts exist/active/allow
 * posting, dimensions known and mandatory ones present, period open, dates, currency); the counterparties; and
 * the ERP's own state (entity, currency, period open there, accounts there, parties) when the ERP answers.
 */
export async function validateJournalPosting(
  deps: PostingDeps,
  db: Db,
  input: JournalPostingInput,
  principal: Principal | null,
  idempotencyKey: string,
): Promise<{ userErrors: PostingUserError[]; erpChecked: boolean }> {
  const amount = journalAmount(input);
  // null: a retry of an accepted posting, whose preparer (and approver) were checked when it was accepted.
  const denied = principal
    ? checkPrincipal(deps.policy, principal, 'POST', input.legalEntityId, { value: amount, currency: input.currency })
    : [];
  if (denied.length) return { userErrors: denied, erpChecked: false };

  const document = journalLabel(input, idempotencyKey);
  const lineLabel = (i: number) => `Line ${i + 1} of ${document}`;
  const reference = await deps.reference(db);
  const violations = await validate(
    {
      type: 'JOURNAL_ENTRY',
      label: document,
      candidate: {
        legalEntityId: input.legalEntityId,
        journalType: input.journalType,
        number: input.number ?? idempotencyKey,
        transactionDate: input.transactionDate,
        currency: input.currency,
        memo: input.memo,
        postingStatus: 'DRAFT',
        sourceDocumentType: 'POSTING',
        lines: input.lines.map((l, i) => ({
          lineNumber: i + 1,
          accountCode: l.accountCode,
          description: l.description,
          debit: l.debit,
          credit: l.credit,
          dimensions: l.dimensions,
        })),
      },
    },
    deps.validationRules,
    dbValidationContext(db, reference),
  );
  const userErrors: PostingUserError[] = violations
    .filter((v) => v.severity === 'ERROR')
    .map((v) => ({ code: v.code, field: v.field, message: v.message }));
  const counterparties = await checkCounterparties(db, input, lineLabel);
  userErrors.push(...counterparties.userErrors);

  const reported = new Set(userErrors.map((e) => e.field ?? ''));
  // A line whose account the canonical chart already refused is not checked again against the ERP's chart.
  for (const e of userErrors) {
    const m = /^(lines\[\d+\])/.exec(e.field ?? '');
    if (m && (e.code === 'INVALID_ACCOUNT' || e.code === 'INVALID_FIELD')) reported.add(m[1]!);
  }
  const erp = await checkErp(deps.erp, {
    document,
    legalEntityId: input.legalEntityId,
    date: input.transactionDate,
    dateField: 'transactionDate',
    currency: input.currency,
    lines: input.lines.map((l, i) => ({
      label: lineLabel(i),
      field: `lines[${i + 1}]`,
      accountCode: l.accountCode,
      hasCounterparty: l.counterparty !== null,
    })),
    parties: counterparties.resolved.map((c) => ({
      what: `${c.name} on ${lineLabel(c.lineIndex)}`,
      field: `lines[${c.lineIndex + 1}].counterparty`,
      taxId: c.taxId!,
    })),
    alreadyReported: reported,
  });
  userErrors.push(...erp.userErrors);
  return { userErrors, erpChecked: erp.checked };
}
