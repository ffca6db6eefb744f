import type { Db } from '../../canonical-schema/Db';
import { reflectErpSide, writeErpLinks } from './erp/reflectErpSide';
import type { UnitOfWork } from './UnitOfWork';
import { writeErpSide } from './write/writeErpSide';
import { releaseParked, type Released } from './write/releaseParked';
import { settleInvoices, type Settlement } from './write/settleInvoices';
import { writeCustomers } from './write/writeCustomers';
import { writeExceptions } from './write/writeExceptions';
import { writeInvoiceLines, writeInvoices } from './write/writeInvoices';
import { writeJournalEntries, writeJournalLines } from './write/writeJournalEntries';
import { writeParked } from './write/writeParked';
import { writePayments } from './write/writePayments';
import { writeSourceReferences } from './write/writeSourceReferences';
import { writeReferenceData } from './write/writeReferenceData';
import { writeVendorMerges, writeVendors } from './write/writeVendors';

/**
 * Writes what a round decided, one statement per table, parents before children (the foreign keys check
 * row by row): the chart and periods, golden records, documents, lines and allocations, the ERP's side (and what it
 * links to), settlement of the invoices whose payments changed, source references, golden-record merges, parking,
 * exceptions. Then takes out of the parking lot whatever
 * waited for a record this round applied, and returns it for the next round.
 */
export async function flushUnitOfWork(db: Db, uow: UnitOfWork): Promise<Released[]> {
  await writeReferenceData(db, uow.accounts.values(), uow.periods.values());
  await writeVendors(db, uow.vendors);
  await writeCustomers(db, uow.customers);
  await writeInvoices(db, uow.invoices);
  await writeInvoiceLines(db, uow.invoiceLines);
  const allocated = await writePayments(db, uow.payments);
  await writeJournalEntries(db, uow.journalEntries);
  await writeJournalLines(db, uow.journalLines);
  // The ERP's side after the moves and lines its payments point at; what it changes is settled with the rest.
  const erp = await reflectErpSide(db, await writeErpSide(db, uow.erp));
  for (const event of erp.events) uow.announce(event);
  const settle = [...uow.settle, ...allocated, ...erp.settle];
  announceSettlements(uow, await settleInvoices(db, settle, [...uow.invoices.keys()]));
  await writeSourceReferences(db, uow.references.values());
  await writeErpLinks(db, erp.links);
  // After the references and documents: the merged vendor's stored ones move to the survivor too.
  await writeVendorMerges(db, uow.vendorMerges);
  await writeParked(db, uow.parked.values());
  for (const event of await writeExceptions(db, uow.resolved.values(), uow.exceptions.values())) uow.announce(event);
  return releaseParked(db, uow.releases.values());
}

/**
 * An invoice the round changed itself announces the status settlement gave it; an invoice whose status
 * only moved because of its payments gets an event of its own, naming them.
 */
function announceSettlements(uow: UnitOfWork, settlements: readonly Settlement[]): void {
  for (const s of settlements) {
    const own = uow.invoiceEvents.get(s.invoiceId);
    if (own) {
      own.newStatus = s.newStatus;
      continue;
    }
    uow.announce({
      aggregateType: 'INVOICE',
      aggregateId: s.invoiceId,
      correlationId: s.correlationId,
      eventType: 'INVOICE_CHANGED',
      oldStatus: s.oldStatus,
      newStatus: s.newStatus,
      legalEntityId: s.legalEntityId,
      payload: { settledBy: uow.settledBy.get(s.invoiceId) ?? [] },
    });
  }
}
