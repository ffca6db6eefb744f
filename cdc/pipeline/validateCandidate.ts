import type {
  InvoiceCandidate,
  InvoiceLineCandidate,
  JournalEntryCandidate,
  PaymentCandidate,
} from '../../canonical-schema/model/candidates';
import type { ObjectType } from '../../canonical-schema/model/enums';
import { dbValidationContext } from '../apply/dbValidationContext';
import type { Prerequisite } from '../parking/parkEvent';
import type { Subject } from '../validation/Subject';
import { validate } from '../validation/validate';
import type { RuleViolation } from '../validation/ValidationRule';
import type { PipelineContext } from './PipelineContext';

export type Verdict =
  | { readonly kind: 'wait'; readonly prerequisite: Prerequisite }
  | { readonly kind: 'checked'; readonly violations: readonly RuleViolation[]; readonly legalEntityId: string | null };

/**
 * Runs the finance validation rules on a candidate. An accounts-payable invoice whose vendor is still
 * PENDING onboarding is not a violation: it waits (parked) until the vendor is approved.
 */
export async function validateCandidate(
  ctx: PipelineContext,
  type: ObjectType,
  candidate: unknown,
  label: string,
  canonicalId: string | null,
): Promise<Verdict> {
  const context = dbValidationContext(ctx.db, ctx.reference);
  let subject: Subject;
  switch (type) {
    case 'VENDOR':
    case 'CUSTOMER':
      return { kind: 'checked', violations: [], legalEntityId: (candidate as { legalEntityId: string }).legalEntityId };
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
      const { rows } = await ctx.db.query<{ legal_entity_id: string; number: string }>(
        `select legal_entity_id, number from invoice where id = $1`,
        [c.invoiceId],
      );
      const parent = rows[0];
      subject = {
        type,
        label: parent ? `Line ${c.lineNumber} of invoice ${parent.number}` : label,
        legalEntityId: parent?.legal_entity_id ?? '',
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
  const violations = await validate(subject, ctx.validationRules, context);
  const legalEntityId = subject.type === 'INVOICE_LINE' ? subject.legalEntityId : subject.candidate.legalEntityId;
  return { kind: 'checked', violations, legalEntityId };
}
