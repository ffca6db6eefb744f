import type { Db } from '../../canonical-schema/Db';
import { dbValidationContext } from '../../cdc/apply/validationContext';
import { validate } from '../../cdc/validation/validate';
import { checkErp } from './checks/checkErp';
import { checkPrincipal } from './checks/checkPrincipal';
import type { InvoicePostingBody } from './InvoicePostingBody';
import type { PostingDeps } from './PostingDeps';
import type { Principal } from './Principal';
import type { PostingUserError } from './PostingUserError';
import { violation } from './postingRules';

const POSTABLE = new Set(['SUBMITTED', 'AUTHORIZED', 'OPEN', 'PARTIALLY_PAID', 'PAID']);

/**
 * Everything checked before a canonical invoice is accepted for the ERP: the principal may post it; the invoice is
 * live and not a draft or void; its counterparty is ACTIVE and has a tax id (the ERP party is found or created
 * by it); the finance rules of cdc/validation on the invoice and each line (period open, amounts add up, accounts,
 * dimensions, tax codes, no duplicate number); every line has an account; and the ERP's own state.
 */
export async function validateInvoicePosting(
  deps: PostingDeps,
  db: Db,
  invoice: InvoicePostingBody,
  status: string,
  principal: Principal | null,
): Promise<PostingUserError[]> {
  // null: a retry of an accepted posting, whose preparer (and approver) were checked when it was accepted.
  const denied = principal
    ? checkPrincipal(deps.policy, principal, 'POST', invoice.legalEntityId, {
        value: invoice.totalAmount,
        currency: invoice.currency,
      })
    : [];
  if (denied.length) return denied;
  const document = `Invoice ${invoice.number}`;
  const out: PostingUserError[] = [];
  if (!POSTABLE.has(status)) {
    out.push(
      violation('INVOICE_POSTABLE', 'status', {
        number: invoice.number,
        problem:
          status === 'DELETED_AT_SOURCE'
            ? 'was deleted in its source system'
            : `is ${status}; only submitted, authorized, open or paid invoices can be posted`,
      }),
    );
  }
  const cp = invoice.counterparty;
  const cpLabel = `${cp.type.toLowerCase()} ${cp.name}`;
  if (cp.status !== 'ACTIVE') {
    out.push(
      violation('COUNTERPARTY_VALID', 'counterparty', {
        line: document,
        counterpartyType: cp.type.toLowerCase(),
        counterparty: cp.name,
        problem: `is ${cp.status}: only active counterparties may be posted to`,
      }),
    );
  }
  if (!cp.taxId) {
    out.push(
      violation('COUNTERPARTY_IN_ERP', 'counterparty', {
        what: `The ${cpLabel} of ${document}`,
        erp: `the ERP (${deps.erp.system})`,
        problem: 'it has no tax id, by which ERP parties are matched',
      }),
    );
  }
  const reference = await deps.reference(db);
  const context = dbValidationContext(db, reference);
  const violations = await validate(
    {
      type: 'INVOICE',
      label: document,
      canonicalId: invoice.canonicalInvoiceId,
      candidate: {
        legalEntityId: invoice.legalEntityId,
        type: invoice.type,
        isCreditNote: false,
        number: invoice.number,
        counterpartyId: cp.id,
        issueDate: invoice.issueDate,
        dueDate: null,
        currency: invoice.currency,
        subTotal: invoice.subTotal,
        totalTaxAmount: invoice.totalTaxAmount,
        totalAmount: invoice.totalAmount,
        status: 'OPEN',
        memo: invoice.memo,
      },
    },
    deps.validationRules,
    context,
  );
  for (const [i, line] of invoice.lines.entries()) {
    const label = `Line ${line.lineNumber} of ${document}`;
    if (!line.accountCode) {
      out.push(
        violation('INVOICE_POSTABLE', `lines[${i + 1}].accountCode`, {
          number: invoice.number,
          problem: `line ${line.lineNumber} has no account`,
        }),
      );
    }
    const lineViolations = await validate(
      {
        type: 'INVOICE_LINE',
        label,
        legalEntityId: invoice.legalEntityId,
        candidate: {
          invoiceId: invoice.canonicalInvoiceId,
          lineNumber: line.lineNumber,
          description: line.description,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          totalAmount: line.totalAmount,
          accountCode: line.accountCode,
          taxCode: line.taxCode,
          dimensions: { ...line.dimensions },
        },
      },
      deps.validationRules,
      context,
    );
    violations.push(...lineViolations.map((v) => ({ ...v, field: `lines[${i + 1}].${v.field}` })));
  }
  out.push(
    ...violations
      .filter((v) => v.severity === 'ERROR')
      .map((v) => ({ code: v.code, field: v.field, message: v.message })),
  );

  const reported = new Set(out.map((e) => e.field ?? ''));
  const erp = await checkErp(deps.erp, {
    document,
    legalEntityId: invoice.legalEntityId,
    date: invoice.issueDate,
    dateField: 'issueDate',
    currency: invoice.currency,
    lines: [
      {
        label: `The ${invoice.type === 'ACCOUNTS_PAYABLE' ? 'payable' : 'receivable'} of ${document}`,
        field: 'controlAccount',
        accountCode: invoice.controlAccountCode,
        hasCounterparty: null,
      },
      ...invoice.lines.flatMap((l, i) =>
        l.accountCode
          ? [
              {
                label: `Line ${l.lineNumber} of ${document}`,
                field: `lines[${i + 1}]`,
                accountCode: l.accountCode,
                hasCounterparty: null,
              },
            ]
          : [],
      ),
    ],
    parties: [],
    alreadyReported: reported,
  });
  out.push(...erp.userErrors);
  return out;
}
