import type { Db } from '../../../canonical-schema/Db';
import type { OutboxEvent } from '../../outbox/OutboxEvent';
import type { ErpSideTouched } from '../write/writeErpSide';
import { refreshErpInvoices, resolveErpPayments } from './refreshErpInvoices';
import { reflectErpInvoices, type ErpReferenceLink } from './reflectErpInvoices';
import { reflectErpPayments } from './reflectErpPayments';

/** What the ERP's side, once written, means for the canonical records. */
export interface ErpReflection {
  /** Canonical invoices whose settlement may have moved. */
  readonly settle: readonly string[];
  /** How the source references of Tryton's invoice and payment rows read now. */
  readonly links: readonly ErpReferenceLink[];
  readonly events: readonly OutboxEvent[];
}

/**
 * After the round wrote the ERP's side: what its payments pay, then the invoices' totals and statuses, then the
 * links of invoices and payments to canonical records (and the canonical records of ERP-native ones). Payments
 * before invoices: an invoice's status counts its payments.
 */
export async function reflectErpSide(db: Db, touched: ErpSideTouched): Promise<ErpReflection> {
  if (!touched.invoices.size && !touched.payments.size) return { settle: [], links: [], events: [] };
  const payments = [...touched.payments];
  const invoices = new Set([...touched.invoices, ...(await resolveErpPayments(db, payments))]);
  const refreshed = await refreshErpInvoices(db, [...invoices]);
  const inv = await reflectErpInvoices(db, refreshed);
  const pay = await reflectErpPayments(db, payments);
  return {
    settle: [...new Set([...inv.settle, ...pay.settle])],
    links: [...inv.links, ...pay.links],
    events: [...inv.events, ...pay.events],
  };
}

/**
 * Rewrites the source references of Tryton's invoice and payment rows (written earlier in the flush as the rows'
 * own, like any source row) to what they are linked to: the canonical record they are the TARGET side of, the
 * ERP-native record they became, or their row on the ERP's side. One statement.
 */
export async function writeErpLinks(db: Db, links: readonly ErpReferenceLink[]): Promise<void> {
  if (!links.length) return;
  await db.query(
    `update source_reference r
        set object_type = l.object_type, canonical_id = l.canonical_id, role = l.role, correlation_id = l.correlation_id
       from unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::uuid[])
            as l(source_table, source_id, object_type, canonical_id, role, correlation_id)
      where r.system = 'erp' and r.source_table = l.source_table and r.source_id = l.source_id`,
    [
      links.map((l) => l.sourceTable),
      links.map((l) => l.sourceId),
      links.map((l) => l.objectType),
      links.map((l) => l.canonicalId),
      links.map((l) => l.role),
      links.map((l) => l.correlationId),
    ],
  );
}
