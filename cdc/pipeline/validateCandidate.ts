import type {
  InvoiceCandidate,
  InvoiceLineCandidate,
  JournalEntryCandidate,
  JournalEntryLineCandidate,
  PaymentCandidate,
} from '../../canonical-schema/model/candidates';
import type { ObjectType } from '../../canonical-schema/model/enums';
import { currentInvoiceHeader } from '../apply/lookups';
import { roundValidationContext } from '../apply/validationContext';
import type { Round } from '../apply/Round';
import type { Prerequisite } from '../parking/Prerequisite';
import type { Subject } from '../validation/Subject';
import { validate, type ValidationRuleSet } from '../validation/validate';
import type { RuleViolation } from '../validation/ValidationRule';

export type Verdict =
  | { readonly kind: 'wait'; readonly prerequisite: Prerequisite }
  | { readonly kind: 'checked'; readonly violations: readonly RuleViolation[]; readonly legalEntityId: string | null };

/**
 * Runs the finance validation rules on a candidate, against the round's view of the canonical model. An
 * accounts-payable invoice whose vendor is still PENDING onboarding is not a violation: it waits (parked)
 * until the vendor is approved.
 */
export async function validateCandidate(
  round: Round,
  rules: ValidationRuleSet,
  type: ObjectType,
  candidate: unknown,
  label: string,
  canonicalId: string | null,
  system: string,
): Promise<Verdict> {
  const context = roundValidationContext(round);
  let subject: Subject;
  switch (type) {
    case 'VENDOR':
    case 'CUSTOMER':
    case 'ACCOUNT':
    case 'ACCOUNTING_PERIOD':
      return { kind: 'checked', violations: [], legalEntityId: (candidate as { legalEntityId: string }).legalEntityId };
    case 'JOURNAL_LINE':
      // A line the ERP sends on its own belongs to a move the ERP has already balanced and posted: only the rules
      // that apply to a line alone (its amounts fit the store) are checked.
      subject = { type, label, candidate: candidate as JournalEntryLineCandidate };
      break;
    case 'ERP_INVOICE':
    case 'ERP_INVOICE_LINE':
    case 'ERP_INVOICE_TAX':
    case 'ERP_PAYMENT':
      // The ERP's side is kept as the ERP holds it (decideErpRow): differences are reconciliation's to show.
      return { kind: 'checked', violations: [], legalEntityId: null };
    case 'INVOICE': {
      const c = candidate as InvoiceCandidate;
      if (c.type === 'ACCOUNTS_PAYABLE') {
        const vendor = await context.counterparty('VENDOR', c.counterpartyId);
        if (vendor?.status === 'PENDING') {
          return {
            kind: 'wait',
            prerequisite: {
              type: 'VENDOR_ACTIVE',
              key: c.counterpartyId,
              reason: `${label} waits for vendor ${vendor.name} to finish onboarding (status PENDING)`,
            },
          };
        }
      }
      subject = { type, label, canonicalId, candidate: c };
      break;
    }
    case 'INVOICE_LINE': {
      const c = candidate as InvoiceLineCandidate;
      const parent = await currentInvoiceHeader(round, c.invoiceId);
      subject = {
        type,
        label: parent ? `Line ${c.lineNumber} of invoice ${parent.number}` : label,
        legalEntityId: parent?.legalEntityId ?? '',
        candidate: c,
      };
      break;
    }
    case 'PAYMENT':
      subject = { type, label, candidate: candidate as PaymentCandidate };
      break;
    case 'JOURNAL_ENTRY':
      subject = { type, label, candidate: candidate as JournalEntryCandidate };
      break;
  }
  const violations = await validate(subject, rules, context, system);
  const legalEntityId =
    subject.type === 'INVOICE_LINE'
      ? subject.legalEntityId
      : subject.type === 'JOURNAL_LINE'
        ? null
        : subject.candidate.legalEntityId;
  return { kind: 'checked', violations, legalEntityId };
}
