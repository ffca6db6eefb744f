import type { Db } from '../../shared/Db';
import { likePrefix } from './likePrefix';
import type { FlowScope } from './FlowDefinition';

/** One document on the ERP's side (Tryton's invoice or payment, as captured: `erp_invoice`, `erp_payment`). */
export interface ErpRecord {
  /** The canonical record it is the ERP's copy of (TARGET) or became (SOURCE); null when it is neither. */
  readonly canonical_id: string | null;
  readonly role: 'TARGET' | 'SOURCE' | null;
  /** Tryton's id of the document, and its table. */
  readonly source_id: string;
  readonly source_table: 'public.account_invoice' | 'public.account_payment';
  readonly number: string | null;
  readonly currency: string;
  /** The control amount in the document's currency. */
  readonly amount: string;
  /** In the canonical vocabulary (an invoice's OPEN / PARTIALLY_PAID / PAID from its payments). */
  readonly status: string;
  /** Tryton's own state (posted, paid, cancelled, succeeded …). */
  readonly state: string;
  readonly deleted: boolean;
  /** Whether it carries the reference of a posting this store does not hold (another finsync posted it). */
  readonly foreign: boolean;
}

/** What finsync did to get a canonical record into the ERP: its live or last posting. */
export interface PostingOfRecord {
  readonly canonical_id: string;
  readonly posting_id: string;
  readonly status: string;
  readonly user_errors: ReadonlyArray<{ readonly message: string }>;
  readonly erp_document_number: string | null;
  /** Seconds since it was posted (null before). */
  readonly posted_age_seconds: number | null;
}

/** The ERP stage of a flow: the documents there, or why there is none. */
export type ErpStage =
  | { readonly status: 'NOT_APPLICABLE'; readonly note: string }
  | { readonly status: 'PENDING'; readonly note: string }
  | {
      readonly status: 'AVAILABLE';
      /** The ERP's copies of the canonical records asked for, and the ERP's own documents in scope. */
      readonly records: readonly ErpRecord[];
      /** The postings of the canonical records asked for. */
      readonly postings: readonly PostingOfRecord[];
    };

/** How one flow's ERP stage is read: for a scope (its canonical records' ids given), or for records only. */
export interface ErpStageReader {
  readonly forScope: (db: Db, scope: FlowScope, canonicalIds: readonly string[]) => Promise<ErpStage>;
  readonly forRecords: (db: Db, canonicalIds: readonly string[]) => Promise<ErpStage>;
  /** The flow's records have no ERP document to compare with. */
  readonly notApplicable?: true;
}

const INVOICE_SELECT = `
  select e.canonical_id::text, e.role, e.source_id, 'public.account_invoice' as source_table,
         coalesce(e.number, e.reference) as number, trim(e.currency) as currency, e.total_amount::text as amount,
         e.status, e.state, e.deleted_at_source as deleted,
         (e.posting_id is not null and e.canonical_id is null) as foreign
    from erp_invoice e`;

const PAYMENT_SELECT = `
  select p.canonical_id::text, p.role, p.source_id, 'public.account_payment' as source_table,
         p.description as number, trim(coalesce(p.currency, '')) as currency, p.amount::text as amount,
         p.status, p.state, p.deleted_at_source as deleted,
         (p.posting_id is not null and p.canonical_id is null) as foreign
    from erp_payment p`;

/**
 * The latest posting of each canonical record (one live posting at most; else the last refused or cancelled one),
 * with how long ago it was posted.
 */
const POSTINGS = `
  select distinct on (p.source_document_id) p.source_document_id as canonical_id, p.id::text as posting_id, p.status,
         p.user_errors, p.erp_document_number,
         extract(epoch from now() - p.posted_at)::int as posted_age_seconds
    from posting p
   where p.source_document_type = $1 and p.source_document_id = any($2::text[])
   order by p.source_document_id, (p.status not in ('REJECTED', 'CANCELLED')) desc, p.created_at desc`;

/**
 * The ERP stage of a flow of documents of one kind: invoices of one type, or payments of one direction. In scope:
 * the ERP's copies of the flow's canonical records, and the documents of that kind the ERP holds in the legal entity
 * and period that are nobody's copy (entered in the ERP directly, or posted by another finsync) — the ERP's own
 * date: an invoice's accounting date (its invoice date when it has none), a payment's date; and a number series:
 * the ERP's number or reference.
 */
function documentStage(kind: {
  readonly select: string;
  readonly alias: 'e' | 'p';
  readonly ownOfKind: string;
  readonly date: string;
  readonly number: string;
  readonly postingType: 'INVOICE' | 'PAYMENT';
}): ErpStageReader {
  const { select, alias: a } = kind;
  const postings = async (db: Db, ids: readonly string[]) =>
    ids.length ? (await db.query<PostingOfRecord>(POSTINGS, [kind.postingType, ids])).rows : [];
  return {
    async forScope(db, scope, canonicalIds) {
      const [linked, own, posted] = await Promise.all([
        db.query<ErpRecord>(`${select} where ${a}.canonical_id = any($1::uuid[]) and ${a}.role = 'TARGET'`, [
          canonicalIds,
        ]),
        db.query<ErpRecord>(
          `${select} where ${kind.ownOfKind} and (${a}.role is distinct from 'TARGET') and ${a}.legal_entity_id = $1
              and ${kind.date} between $2::date and $3::date and coalesce(${kind.number}, '') like $4`,
          [scope.legalEntityId, scope.from, scope.to, likePrefix(scope.numberPrefix)],
        ),
        postings(db, canonicalIds),
      ]);
      return { status: 'AVAILABLE', records: [...linked.rows, ...own.rows], postings: posted };
    },
    async forRecords(db, canonicalIds) {
      const [records, posted] = await Promise.all([
        db.query<ErpRecord>(`${select} where ${a}.canonical_id = any($1::uuid[])`, [canonicalIds]),
        postings(db, canonicalIds),
      ]);
      return { status: 'AVAILABLE', records: records.rows, postings: posted };
    },
  };
}

const invoices = (type: 'ACCOUNTS_RECEIVABLE' | 'ACCOUNTS_PAYABLE') =>
  documentStage({
    select: INVOICE_SELECT,
    alias: 'e',
    ownOfKind: `e.type = '${type}'`,
    date: 'coalesce(e.accounting_date, e.invoice_date, e.created_on)',
    number: 'coalesce(e.number, e.reference)',
    postingType: 'INVOICE',
  });

const notApplicable = (note: string): ErpStageReader => {
  const stage = async (): Promise<ErpStage> => ({ status: 'NOT_APPLICABLE', note });
  return { forScope: stage, forRecords: stage, notApplicable: true };
};

/**
 * The ERP stage of each flow. Invoices and payments are compared with Tryton's own documents, captured back through
 * CDC (docs/tryton-source.md); payroll runs and suppliers have no ERP document of theirs to compare yet.
 */
export const ERP_STAGES: Readonly<Record<string, ErpStageReader>> = {
  BILLING_INVOICES: invoices('ACCOUNTS_RECEIVABLE'),
  BILLING_PAYMENTS: documentStage({
    select: PAYMENT_SELECT,
    alias: 'p',
    ownOfKind: `p.direction = 'INBOUND'`,
    date: 'p.payment_date',
    number: 'p.description',
    postingType: 'PAYMENT',
  }),
  PROCUREMENT_SUPPLIER_INVOICES: invoices('ACCOUNTS_PAYABLE'),
  PAYROLL_JOURNALS: notApplicable(
    "A payroll run's ERP document is a journal posting's move: its confirmation compares it (the posting's confirmation status).",
  ),
  PROCUREMENT_SUPPLIERS: notApplicable("A supplier's ERP side is its party: vendor onboarding compares it."),
};
