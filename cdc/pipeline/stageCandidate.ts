import type {
  CustomerCandidate,
  InvoiceCandidate,
  InvoiceLineCandidate,
  JournalEntryCandidate,
  PaymentCandidate,
  VendorCandidate,
} from '../../canonical-schema/model/candidates';
import { currentInvoiceHeader } from '../apply/lookups';
import type { Round } from '../apply/Round';
import type { SourceRow } from '../apply/SourceRow';
import { stageCustomer } from '../apply/stage/stageCustomer';
import { stageInvoice, stageInvoiceLine } from '../apply/stage/stageInvoice';
import { stageJournalEntry } from '../apply/stage/stageJournalEntry';
import { stagePayment } from '../apply/stage/stagePayment';
import { stageVendor } from '../apply/stage/stageVendor';
import { exceptionFingerprint, type ExceptionInput } from '../exceptions/ExceptionInput';

export type Staged =
  | {
      readonly kind: 'applied';
      readonly canonicalId: string;
      readonly detail: Record<string, unknown>;
      /** A vendor that became ACTIVE: what waited for its onboarding is released. */
      readonly activated: boolean;
    }
  | { readonly kind: 'rejected'; readonly code: string };

/** Applies a validated candidate to the round's unit of work and announces the change on the outbox. */
export async function stageCandidate(
  round: Round,
  row: SourceRow,
  candidate: unknown,
  existingId: string | null,
  label: string,
): Promise<Staged> {
  const { uow } = round;
  const announce = (
    aggregateType: string,
    id: string,
    oldStatus: string | null,
    newStatus: string | null,
    legalEntityId: string | null,
  ) =>
    uow.announce({
      aggregateType,
      aggregateId: id,
      correlationId: row.correlationId,
      eventType: `${aggregateType}_CHANGED`,
      oldStatus,
      newStatus,
      legalEntityId,
      payload: {
        source: { system: row.system, table: row.table, sourceId: row.sourceId },
        mappingVersion: row.mappingVersion,
      },
    });

  switch (row.objectType) {
    case 'VENDOR': {
      const v = candidate as VendorCandidate;
      const out = await stageVendor(round, row, v, existingId);
      if (out.kind === 'duplicate') {
        const e: ExceptionInput = {
          code: 'DUPLICATE_VENDOR',
          message: `${label} looks like vendor ${out.existingName}, already known with ${out.reason}; it was not created. Merge the two or confirm they are different companies.`,
          objectType: 'VENDOR',
          field: 'taxId',
          legalEntityId: v.legalEntityId,
          source: { system: row.system, table: row.table, sourceId: row.sourceId },
          canonicalId: out.existingId,
          correlationId: row.correlationId,
          sourceEvent: { candidate: v },
        };
        uow.raise({ ...e, fingerprint: exceptionFingerprint(e) });
        return { kind: 'rejected', code: 'DUPLICATE_VENDOR' };
      }
      announce('VENDOR', out.canonicalId, out.oldStatus, v.status, v.legalEntityId);
      return {
        kind: 'applied',
        canonicalId: out.canonicalId,
        detail: { merged: out.merged },
        activated: v.status === 'ACTIVE' && out.oldStatus !== 'ACTIVE',
      };
    }
    case 'CUSTOMER': {
      const c = candidate as CustomerCandidate;
      const out = await stageCustomer(round, row, c, existingId);
      announce('CUSTOMER', out.canonicalId, out.oldStatus, c.status, c.legalEntityId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: {}, activated: false };
    }
    case 'INVOICE': {
      const inv = candidate as InvoiceCandidate;
      const out = await stageInvoice(round, row, inv, existingId);
      // Settlement after the flush may correct the new status (flushUnitOfWork).
      announce('INVOICE', out.canonicalId, out.oldStatus, inv.status, inv.legalEntityId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: { status: inv.status }, activated: false };
    }
    case 'INVOICE_LINE': {
      const line = candidate as InvoiceLineCandidate;
      const parent = await currentInvoiceHeader(round, line.invoiceId);
      const out = stageInvoiceLine(round, line, parent?.legalEntityId ?? '', existingId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: { invoiceId: line.invoiceId }, activated: false };
    }
    case 'PAYMENT': {
      const p = candidate as PaymentCandidate;
      const out = await stagePayment(round, row, p, existingId);
      announce('PAYMENT', out.canonicalId, out.oldStatus, p.status, p.legalEntityId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: { invoiceId: p.invoiceId }, activated: false };
    }
    case 'JOURNAL_ENTRY': {
      const j = candidate as JournalEntryCandidate;
      const out = await stageJournalEntry(round, row, j, existingId);
      announce('JOURNAL_ENTRY', out.canonicalId, out.oldStatus, j.postingStatus, j.legalEntityId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: { lines: j.lines.length }, activated: false };
    }
  }
}
