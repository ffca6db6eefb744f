import type {
  AccountCandidate,
  AccountingPeriodCandidate,
  CustomerCandidate,
  InvoiceCandidate,
  InvoiceLineCandidate,
  JournalEntryCandidate,
  JournalEntryLineCandidate,
  PaymentCandidate,
  VendorCandidate,
} from '../../canonical-schema/model/candidates';
import { currentInvoiceHeader } from '../apply/lookups';
import type { Round } from '../apply/Round';
import type { SourceRow } from '../apply/SourceRow';
import { stageCustomer } from '../apply/stage/stageCustomer';
import { stageInvoice, stageInvoiceLine } from '../apply/stage/stageInvoice';
import { stageJournalEntry } from '../apply/stage/stageJournalEntry';
import { stageJournalLine } from '../apply/stage/stageJournalLine';
import { stageAccount, stageAccountingPeriod } from '../apply/stage/stageReferenceData';
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
      /** Warnings to open for the row although it applied (a possible duplicate vendor). */
      readonly warnings?: readonly ExceptionInput[];
    }
  | { readonly kind: 'rejected'; readonly code: string };

/** Applies a validated candidate to the round's unit of work and announces the change on the outbox. */
export async function stageCandidate(
  round: Round,
  row: SourceRow,
  candidate: unknown,
  existingId: string | null,
  label: string,
  policy: { readonly keepStored?: readonly string[]; readonly systemOfRecord?: boolean } = {},
  /** The change being applied: kept on the exceptions it raises, so that a retry can take it again. */
  sourceEvent: unknown = null,
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
      const out = await stageVendor(round, row, v, existingId, policy);
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
          sourceEvent,
        };
        uow.raise({ ...e, fingerprint: exceptionFingerprint(e) });
        return { kind: 'rejected', code: 'DUPLICATE_VENDOR' };
      }
      announce('VENDOR', out.canonicalId, out.oldStatus, v.status, v.legalEntityId);
      const twin = out.possibleDuplicateOf;
      return {
        kind: 'applied',
        canonicalId: out.canonicalId,
        detail: { merged: out.merged, ...(twin ? { possibleDuplicateOf: twin.id } : {}) },
        activated: v.status === 'ACTIVE' && out.oldStatus !== 'ACTIVE',
        warnings: twin
          ? [
              {
                code: 'POSSIBLE_DUPLICATE_VENDOR',
                severity: 'WARNING',
                message: `${label} has nearly the same name as vendor ${twin.name}, which finsync already knows (similarity ${twin.similarity.toFixed(2)}), and one of the two has no tax id yet. It was created; it is merged into ${twin.name} automatically when a tax id shows they are the same company. If they are different companies, ignore this warning.`,
                objectType: 'VENDOR',
                field: 'name',
                legalEntityId: v.legalEntityId,
                source: { system: row.system, table: row.table, sourceId: row.sourceId },
                canonicalId: out.canonicalId,
                correlationId: row.correlationId,
                sourceEvent: { candidate: v, possibleDuplicateOf: twin.id },
              },
            ]
          : [],
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
      return {
        kind: 'applied',
        canonicalId: out.canonicalId,
        detail: { lines: j.lines?.length ?? 'separate' },
        activated: false,
      };
    }
    case 'JOURNAL_LINE': {
      const l = candidate as JournalEntryLineCandidate;
      const out = await stageJournalLine(round, l, existingId);
      if ('problem' in out) {
        const e: ExceptionInput = {
          code: 'APPLY_FAILED',
          message: `${label} could not be applied: ${out.problem}.`,
          objectType: 'JOURNAL_LINE',
          source: { system: row.system, table: row.table, sourceId: row.sourceId },
          correlationId: row.correlationId,
          sourceEvent,
        };
        uow.raise({ ...e, fingerprint: exceptionFingerprint(e) });
        return { kind: 'rejected', code: 'APPLY_FAILED' };
      }
      return {
        kind: 'applied',
        canonicalId: out.canonicalId,
        detail: { journalEntryId: l.journalEntryId },
        activated: false,
      };
    }
    case 'ACCOUNT': {
      const a = candidate as AccountCandidate;
      const out = await stageAccount(round, row, a);
      if ('problem' in out) {
        const e: ExceptionInput = {
          code: 'UNKNOWN_ACCOUNT',
          message: `${label}: ${out.problem}.`,
          objectType: 'ACCOUNT',
          field: 'code',
          legalEntityId: a.legalEntityId,
          source: { system: row.system, table: row.table, sourceId: row.sourceId },
          correlationId: row.correlationId,
          sourceEvent,
        };
        uow.raise({ ...e, fingerprint: exceptionFingerprint(e) });
        return { kind: 'rejected', code: 'UNKNOWN_ACCOUNT' };
      }
      return {
        kind: 'applied',
        canonicalId: out.canonicalId,
        detail: { code: a.code, status: a.status },
        activated: false,
      };
    }
    case 'ACCOUNTING_PERIOD': {
      const p = candidate as AccountingPeriodCandidate;
      const out = await stageAccountingPeriod(round, row, p);
      announce('ACCOUNTING_PERIOD', out.canonicalId, out.oldStatus, p.status, p.legalEntityId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: { status: p.status }, activated: false };
    }
    case 'ERP_INVOICE':
    case 'ERP_INVOICE_LINE':
    case 'ERP_INVOICE_TAX':
    case 'ERP_PAYMENT':
      throw new Error(`stageCandidate: ${row.objectType} rows are staged by stageErpRow, not here`);
  }
}
