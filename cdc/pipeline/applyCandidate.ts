import type {
  CustomerCandidate,
  InvoiceCandidate,
  InvoiceLineCandidate,
  JournalEntryCandidate,
  PaymentCandidate,
  VendorCandidate,
} from '../../canonical-schema/model/candidates';
import { applyCustomer } from '../apply/applyCustomer';
import { applyInvoice } from '../apply/applyInvoice';
import { applyInvoiceLine } from '../apply/applyInvoiceLine';
import { applyJournalEntry } from '../apply/applyJournalEntry';
import { applyPayment } from '../apply/applyPayment';
import { applyVendor } from '../apply/applyVendor';
import { settleInvoice } from '../apply/settleInvoice';
import type { SourceRow } from '../apply/SourceRow';
import { raiseException } from '../exceptions/raiseException';
import type { PipelineContext } from './PipelineContext';

export type Applied =
  | {
      readonly kind: 'applied';
      readonly canonicalId: string;
      readonly detail: Record<string, unknown>;
      readonly activated: boolean;
    }
  | { readonly kind: 'rejected'; readonly code: string };

/** Writes a validated candidate to the canonical tables and announces the change on the outbox. */
export async function applyCandidate(
  ctx: PipelineContext,
  row: SourceRow,
  candidate: unknown,
  existingId: string | null,
  label: string,
): Promise<Applied> {
  const { db } = ctx;
  const announce = (
    aggregateType: string,
    id: string,
    oldStatus: string | null,
    newStatus: string | null,
    legalEntityId: string | null,
  ) =>
    ctx.events.push({
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
      const out = await applyVendor(db, row, v, existingId);
      if (out.kind === 'duplicate') {
        await raiseException(db, {
          code: 'DUPLICATE_VENDOR',
          message: `${label} looks like vendor ${out.existingName}, already known with ${out.reason}; it was not created. Merge the two or confirm they are different companies.`,
          objectType: 'VENDOR',
          field: 'taxId',
          legalEntityId: v.legalEntityId,
          source: { system: row.system, table: row.table, sourceId: row.sourceId },
          canonicalId: out.existingId,
          correlationId: row.correlationId,
          sourceEvent: { candidate: v },
        });
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
      const out = await applyCustomer(db, row, c, existingId);
      announce('CUSTOMER', out.canonicalId, out.oldStatus, c.status, c.legalEntityId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: {}, activated: false };
    }
    case 'INVOICE': {
      const inv = candidate as InvoiceCandidate;
      const fiscalYear =
        ctx.reference.period(inv.legalEntityId, inv.issueDate)?.fiscalYear ?? Number(inv.issueDate.slice(0, 4));
      const out = await applyInvoice(db, row, inv, fiscalYear, existingId);
      // A new invoice has no payments yet (a payment waits, parked, for its invoice and settles it itself).
      const settled = existingId ? await settleInvoice(db, out.canonicalId) : null;
      announce('INVOICE', out.canonicalId, out.oldStatus, settled?.newStatus ?? inv.status, inv.legalEntityId);
      return {
        kind: 'applied',
        canonicalId: out.canonicalId,
        detail: { status: settled?.newStatus ?? inv.status },
        activated: false,
      };
    }
    case 'INVOICE_LINE': {
      const line = candidate as InvoiceLineCandidate;
      const { rows } = await db.query<{ legal_entity_id: string }>(
        `select legal_entity_id from invoice where id = $1`,
        [line.invoiceId],
      );
      const out = await applyInvoiceLine(db, line, rows[0]?.legal_entity_id ?? '', ctx.reference, existingId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: { invoiceId: line.invoiceId }, activated: false };
    }
    case 'PAYMENT': {
      const p = candidate as PaymentCandidate;
      const out = await applyPayment(db, row, p, existingId);
      announce('PAYMENT', out.canonicalId, out.oldStatus, p.status, p.legalEntityId);
      const settled = await settleInvoice(db, p.invoiceId);
      if (settled && settled.oldStatus !== settled.newStatus) {
        ctx.events.push({
          aggregateType: 'INVOICE',
          aggregateId: p.invoiceId,
          correlationId: settled.correlationId,
          eventType: 'INVOICE_CHANGED',
          oldStatus: settled.oldStatus,
          newStatus: settled.newStatus,
          legalEntityId: settled.legalEntityId,
          payload: { settledBy: out.canonicalId },
        });
      }
      return {
        kind: 'applied',
        canonicalId: out.canonicalId,
        detail: { invoiceId: p.invoiceId, invoiceStatus: settled?.newStatus },
        activated: false,
      };
    }
    case 'JOURNAL_ENTRY': {
      const j = candidate as JournalEntryCandidate;
      const out = await applyJournalEntry(db, row, j, ctx.reference, existingId);
      announce('JOURNAL_ENTRY', out.canonicalId, out.oldStatus, j.postingStatus, j.legalEntityId);
      return { kind: 'applied', canonicalId: out.canonicalId, detail: { lines: j.lines.length }, activated: false };
    }
  }
}

/** A row deleted at the source: the canonical record stays (audit trail) but is flagged; lines go. */
export async function applyDelete(ctx: PipelineContext, row: SourceRow, canonicalId: string): Promise<void> {
  const { db } = ctx;
  const flag = async (table: string) =>
    db.query(
      `update ${table} set deleted_at_source = true, canonical_updated_at = now(), version = version + 1 where id = $1`,
      [canonicalId],
    );
  switch (row.objectType) {
    case 'INVOICE_LINE':
      await db.query(`delete from invoice_line where id = $1`, [canonicalId]);
      return;
    case 'PAYMENT': {
      await flag('payment');
      const { rows } = await db.query<{ invoice_id: string }>(
        `delete from payment_allocation where payment_id = $1 returning invoice_id`,
        [canonicalId],
      );
      for (const r of rows) await settleInvoice(db, r.invoice_id);
      return;
    }
    case 'VENDOR':
      return void (await flag('vendor'));
    case 'CUSTOMER':
      return void (await flag('customer'));
    case 'INVOICE':
      return void (await flag('invoice'));
    case 'JOURNAL_ENTRY':
      return void (await flag('journal_entry'));
  }
}
