import type { ObjectType } from '../../canonical-schema/model/enums';
import type { AuditEntry } from '../audit/AuditEntry';
import type { RowChange } from '../envelope/ChangeEvent';
import type { ExceptionInput } from '../exceptions/ExceptionInput';
import type { OutboxEvent } from '../outbox/OutboxEvent';
import type { Prerequisite } from '../parking/Prerequisite';
import { sourceKey, type StoredReference } from './batchLoaders';
import type {
  AccountingPeriodRow,
  AccountRow,
  CustomerRow,
  InvoiceLineRow,
  InvoiceRow,
  JournalEntryRow,
  JournalLineOwnRow,
  PaymentRow,
  VendorRow,
} from './CanonicalRows';
import { ErpSideChanges } from './erp/ErpRows';
import type { SourceRow } from './SourceRow';

/** A canonical record a round changes: its new state, or only the deleted-at-source flag. */
export interface Pending<R> {
  /** The full new state; null when the round only flags an existing record deleted at source. */
  row: R | null;
  /** Created in this round (it did not exist before). */
  readonly isNew: boolean;
  /** Changes applied in this round: the record's version grows by this much. */
  bump: number;
  /** The status before this round, for outbox events (null for a new record). */
  readonly statusBefore: string | null;
}

/** A source row's parked copy: (re)parked with its prerequisite, or taken out of the parking lot. */
export type ParkedChange =
  | { readonly kind: 'park'; readonly row: SourceRow; readonly event: RowChange; readonly prerequisite: Prerequisite }
  | { readonly kind: 'unpark'; readonly row: SourceRow };

/**
 * Everything one round of a batch decides, held in memory until `flushUnitOfWork` writes it with one
 * statement per table. Lookups during the round consult this first (what earlier changes of the round did),
 * then the batch loaders (what the database held when the round began). Several changes of one record in a
 * round collapse into its final state here, while each change keeps its own audit entries and outbox event.
 */
export class UnitOfWork {
  readonly vendors = new Map<string, Pending<VendorRow>>();
  readonly customers = new Map<string, Pending<CustomerRow>>();
  readonly invoices = new Map<string, Pending<InvoiceRow>>();
  /** An invoice line's new state, or 'delete' when the source deleted it. */
  readonly invoiceLines = new Map<string, InvoiceLineRow | 'delete'>();
  readonly payments = new Map<string, Pending<PaymentRow>>();
  readonly journalEntries = new Map<string, Pending<JournalEntryRow>>();
  /** A journal line sent as its own row (ERP move lines), or 'delete'. */
  readonly journalLines = new Map<string, JournalLineOwnRow | 'delete'>();
  /** The ERP's side: Tryton's invoices, their lines and taxes, payments, as Tryton holds them. */
  readonly erp = new ErpSideChanges();
  readonly accounts = new Map<string, AccountRow>();
  readonly periods = new Map<string, AccountingPeriodRow>();
  /** Golden records merged this round: the vendor merged away → the one it now is. */
  readonly vendorMerges = new Map<string, string>();
  /** The chart or the periods changed: the pipeline rereads its reference data after the batch. */
  referenceChanged = false;
  /** Source references written this round, by `sourceKey`. */
  readonly references = new Map<
    string,
    { readonly row: SourceRow; readonly ref: StoredReference; readonly operation: string }
  >();
  /** Systems holding a reference to each vendor, as this round changed them (golden-record merges). */
  readonly vendorSystems = new Map<string, Set<string>>();
  readonly parked = new Map<string, ParkedChange>();
  /** Exceptions to open, by fingerprint (one per problem). */
  readonly exceptions = new Map<string, ExceptionInput & { readonly fingerprint: string }>();
  /** Source rows that applied cleanly: their open exceptions are resolved. */
  readonly resolved = new Map<string, SourceRow>();
  /** Prerequisites met this round: parked changes waiting for them are released after the flush. */
  readonly releases = new Map<string, { readonly type: string; readonly key: string; readonly by: string }>();
  /** Invoices whose balance and status are recomputed from their allocations after the flush. */
  readonly settle = new Set<string>();
  /** Payments of the round by the invoice they pay, for the invoice's settlement event. */
  readonly settledBy = new Map<string, string[]>();
  /** The last change event of each invoice the round changed; settlement corrects its new status. */
  readonly invoiceEvents = new Map<string, { newStatus: string | null }>();
  /** The source row behind each canonical record the round wrote (messages name it). */
  readonly sourceOf = new Map<string, SourceRow>();
  readonly trail: AuditEntry[] = [];
  readonly events: OutboxEvent[] = [];

  /** The reference this round wrote for a source row; undefined when it wrote none. */
  reference(system: string, table: string, sourceId: string): StoredReference | undefined {
    return this.references.get(sourceKey(system, table, sourceId))?.ref;
  }

  /** Records that the source row (at its position) is now reflected by the canonical record. */
  setReference(row: SourceRow, canonicalId: string, operation: string): void {
    this.references.set(sourceKey(row.system, row.table, row.sourceId), {
      row,
      operation,
      ref: { canonicalId, objectType: row.objectType, lastPosition: row.position },
    });
    this.sourceOf.set(canonicalId, row);
    if (row.objectType === 'VENDOR') {
      const systems = this.vendorSystems.get(canonicalId) ?? new Set<string>();
      systems.add(row.system);
      this.vendorSystems.set(canonicalId, systems);
    }
  }

  /**
   * Records that golden record `from` is merged into `into`: the references this round wrote to `from` now
   * name `into` (the flush moves the stored ones, and the invoices and payments).
   */
  mergeVendor(from: string, into: string): void {
    this.vendorMerges.set(from, into);
    for (const [key, r] of this.references) {
      if (r.ref.objectType === 'VENDOR' && r.ref.canonicalId === from)
        this.references.set(key, { ...r, ref: { ...r.ref, canonicalId: into } });
    }
    const systems = this.vendorSystems.get(into) ?? new Set<string>();
    for (const s of this.vendorSystems.get(from) ?? []) systems.add(s);
    this.vendorSystems.set(into, systems);
  }

  park(row: SourceRow, event: RowChange, prerequisite: Prerequisite): void {
    this.parked.set(sourceKey(row.system, row.table, row.sourceId), { kind: 'park', row, event, prerequisite });
  }

  unpark(row: SourceRow): void {
    this.parked.set(sourceKey(row.system, row.table, row.sourceId), { kind: 'unpark', row });
  }

  /** Opens an exception once per fingerprint; a later clean change of the same row in the round drops it. */
  raise(e: ExceptionInput & { readonly fingerprint: string }): void {
    this.exceptions.set(e.fingerprint, e);
  }

  /**
   * The row applied cleanly: what the round raised for it earlier is dropped, and its open exceptions in
   * the database are resolved at the flush.
   */
  resolve(row: SourceRow): void {
    for (const [fingerprint, e] of this.exceptions) {
      if (e.source?.system === row.system && e.source.table === row.table && e.source.sourceId === row.sourceId)
        this.exceptions.delete(fingerprint);
    }
    this.resolved.set(sourceKey(row.system, row.table, row.sourceId), row);
  }

  release(type: ObjectType | `${ObjectType}_ACTIVE`, key: string, by: string): void {
    this.releases.set(`${type}\u0000${key}`, { type, key, by });
  }

  /** Announces a canonical change on the outbox (published by the relay after the commit). */
  announce(event: OutboxEvent): void {
    const e = { ...event };
    this.events.push(e);
    // The invoice's own change (not an event about its ERP side): settlement corrects the status it announces.
    if (event.aggregateType === 'INVOICE' && event.eventType === 'INVOICE_CHANGED') {
      this.invoiceEvents.set(event.aggregateId, e);
    }
  }

  /** Records a change of a canonical record in the round: the first change fixes its prior status. */
  static touch<R>(
    map: Map<string, Pending<R>>,
    id: string,
    row: R | null,
    existedBefore: { readonly status: string } | null,
  ): Pending<R> {
    const pending = map.get(id);
    if (pending) {
      pending.bump += 1;
      if (row) pending.row = row;
      return pending;
    }
    const created: Pending<R> = { row, isNew: !existedBefore, bump: 1, statusBefore: existedBefore?.status ?? null };
    map.set(id, created);
    return created;
  }
}
