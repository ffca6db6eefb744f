import type { FlowStepSet, Prerequisite, Check, Action, Completion, FlowProblem } from './FlowSteps';
import { policyFor } from '../registry';
import type { Principal } from '../../security/Principal';

/**
 * The principal the flows post as: a machine client (role `service`), in both legal entities. It prepares; an
 * approval, where the flow's policy asks for one, is a person's (never this principal: segregation of duties).
 */
export const FLOWS_PRINCIPAL: Principal = {
  subject: 'flows@finsync',
  roles: ['service'],
  legalEntities: ['FS-EU', 'FS-US'],
};

/**
 * LINES_COMPLETE: an invoice's lines arrive as their own change events (their own table), possibly after the
 * header: it waits until its lines add up to its total (net lines + the source's tax, or gross lines).
 */
const linesComplete: Prerequisite = async (ctx, doc) => {
  const { rows } = await ctx.pool.query<{
    lines: number;
    line_total: string;
    total: string;
    tax: string;
    complete: boolean;
  }>(
    `select count(l.*)::int as lines, coalesce(sum(l.total_amount), 0)::text as line_total, i.total_amount::text as total,
            i.total_tax_amount::text as tax,
            count(l.*) > 0 and (coalesce(sum(l.total_amount), 0) + i.total_tax_amount = i.total_amount
                                or coalesce(sum(l.total_amount), 0) = i.total_amount) as complete
       from invoice i left join invoice_line l on l.invoice_id = i.id where i.id = $1
      group by i.id`,
    [doc.canonicalId],
  );
  const r = rows[0];
  if (r?.complete) return { met: true };
  return {
    met: false,
    waitsFor: `its lines: ${r?.lines ?? 0} arrived, adding up to ${r?.line_total ?? '0'} (+ tax ${r?.tax ?? '0'}), not its total ${r?.total ?? '?'}`,
  };
};

/** VENDOR_ACTIVATED: an AP invoice waits until its vendor is activated for posting (vendor onboarding). */
const vendorActivated: Prerequisite = async (ctx, doc) => {
  const { rows } = await ctx.pool.query<{ name: string; state: string | null; code: string | null }>(
    `select v.name, a.state, r.source_id as code from invoice i join vendor v on v.id = i.vendor_id
       left join vendor_activation a on a.vendor_id = v.id
       left join source_reference r on r.canonical_id = v.id and r.object_type = 'VENDOR' and r.role = 'SOURCE'
      where i.id = $1 order by r.system = 'procurement' desc limit 1`,
    [doc.canonicalId],
  );
  const v = rows[0];
  if (!v) return { met: false, waitsFor: 'its vendor (the invoice has none yet)' };
  if (v.state === 'ACTIVATED') return { met: true };
  return {
    met: false,
    waitsFor: `the activation of vendor ${v.name}${v.code ? ` (${v.code})` : ''}, now ${v.state ?? 'not onboarded'}`,
  };
};

/** INVOICE_POSTED: a payment waits until the invoice it pays is posted in the ERP. */
const invoicePosted: Prerequisite = async (ctx, doc) => {
  const { rows } = await ctx.pool.query<{ number: string; status: string | null }>(
    `select i.number, (select p.status from posting p where p.source_document_type = 'INVOICE'
               and p.source_document_id = i.id::text and p.status not in ('REJECTED', 'CANCELLED') limit 1) as status
       from payment_allocation a join invoice i on i.id = a.invoice_id where a.payment_id = $1`,
    [doc.canonicalId],
  );
  const waiting = rows.filter((r) => r.status !== 'POSTED');
  if (!rows.length) return { met: false, waitsFor: 'the invoice it pays (none allocated yet)' };
  if (!waiting.length) return { met: true };
  return {
    met: false,
    waitsFor: `invoice ${waiting.map((r) => `${r.number} (${r.status ?? 'not posted'})`).join(', ')} to be posted in the ERP`,
  };
};

/**
 * PERIOD_OPEN: the document's period is open (finsync's calendar, kept in step with the ERP's). A period that
 * closes while the document waits makes it an exception: it is never posted into the next period by itself.
 */
const periodOpen: Check = async (ctx, doc) => {
  if (!doc.documentDate) return [];
  const { rows } = await ctx.pool.query<{ status: string; fiscal_year: number; period_number: number }>(
    `select status, fiscal_year, period_number from accounting_period
      where legal_entity_id = $1 and $2::date between start_date and end_date and not deleted_at_source
      order by period_number limit 1`,
    [doc.legalEntityId, doc.documentDate],
  );
  const p = rows[0];
  if (!p || p.status === 'OPEN') return [];
  return [
    {
      code: 'PERIOD_CLOSED',
      field: 'date',
      message: `${ctx.flow.name}: ${doc.number} of ${doc.legalEntityId} is dated ${doc.documentDate}, in period ${p.fiscal_year}-${String(p.period_number).padStart(2, '0')}, which is closed; it is not posted into another period by itself: reopen the period, re-date the document at its source, or ignore it.`,
    },
  ];
};

/**
 * POST_INVOICE: the invoice goes on the posting queue (erp/posting: the same validation, approval and exactly-once
 * worker as the `postInvoice` mutation). The idempotency key is the source document's, so a replayed pass finds
 * the same posting; a posting someone made by hand for the document is adopted, not doubled.
 */
const postInvoice: Action = async (ctx, doc) => {
  const live = await ctx.pool.query<{ id: string; status: string }>(
    `select id::text, status from posting where source_document_type = 'INVOICE' and source_document_id = $1
        and status not in ('REJECTED', 'CANCELLED') limit 1`,
    [doc.canonicalId],
  );
  if (live.rows[0]) {
    return { kind: 'STARTED', reference: live.rows[0].id, note: `posting ${live.rows[0].id} (${live.rows[0].status})` };
  }
  const approval = policyFor(ctx.flow, doc.legalEntityId) === 'MANUAL' ? 'ALWAYS' : 'THRESHOLD';
  const result = await ctx.postings.acceptInvoicePosting(
    doc.canonicalId,
    FLOWS_PRINCIPAL,
    `flow:${ctx.flow.id}:${doc.canonicalId}`,
    approval,
  );
  if (!result.posting) {
    return {
      kind: 'REFUSED',
      problems: result.userErrors.map((e): FlowProblem => ({
        code: e.code,
        field: e.field,
        message: `${ctx.flow.name}: ${doc.number} of ${doc.legalEntityId} cannot be posted: ${e.message}`,
      })),
    };
  }
  return {
    kind: 'STARTED',
    reference: result.posting.id,
    note: `posting ${result.posting.id} ${result.posting.status === 'PENDING_APPROVAL' ? 'waits for an approver' : 'queued for the ERP'}`,
  };
};

/** The live posting of a source document (one made by hand is adopted, not doubled). */
async function livePosting(ctx: Parameters<Action>[0], type: string, id: string) {
  const { rows } = await ctx.pool.query<{ id: string; status: string }>(
    `select id::text, status from posting where source_document_type = $1 and source_document_id = $2
        and status not in ('REJECTED', 'CANCELLED') limit 1`,
    [type, id],
  );
  return rows[0] ?? null;
}

const refused = (ctx: Parameters<Action>[0], doc: Parameters<Action>[1], errors: readonly FlowProblem[]) => ({
  kind: 'REFUSED' as const,
  problems: errors.map((e): FlowProblem => ({
    code: e.code,
    field: e.field,
    message: `${ctx.flow.name}: ${doc.number} of ${doc.legalEntityId} cannot be posted: ${e.message}`,
  })),
});

/**
 * POST_JOURNAL: a canonical journal (a payroll run) goes on the posting queue as it is, line by line with its
 * dimensions; the posting rules (balanced per currency, accounts, dimensions mapped, period open) refuse it with
 * userErrors naming the line and the rule — the document's exceptions. A fixed source row or mapping makes a new
 * canonical version, which the flow tries again.
 */
const postJournal: Action = async (ctx, doc) => {
  const live = await livePosting(ctx, 'JOURNAL_ENTRY', doc.canonicalId);
  if (live) return { kind: 'STARTED', reference: live.id, note: `posting ${live.id} (${live.status})` };
  const header = await ctx.pool.query<{ journal_type: string; number: string; date: string; memo: string | null }>(
    `select journal_type, number, transaction_date::text as date, memo from journal_entry where id = $1`,
    [doc.canonicalId],
  );
  const lines = await ctx.pool.query<{
    account_code: string;
    description: string | null;
    debit: string;
    credit: string;
    currency: string;
    dimensions: unknown;
  }>(
    `select account_code, description, debit::text, credit::text, trim(currency) as currency, dimensions
       from journal_line where journal_entry_id = $1 order by line_number`,
    [doc.canonicalId],
  );
  const j = header.rows[0];
  if (!j) return refused(ctx, doc, [{ code: 'NOT_FOUND', field: null, message: 'its journal is gone' }]);
  const currencies = [...new Set(lines.rows.map((l) => l.currency))];
  if (currencies.length > 1) {
    // A posting is in one currency; a run in several is posted per currency by the payroll provider's export.
    return refused(ctx, doc, [
      {
        code: 'MIXED_CURRENCIES',
        field: 'lines',
        message: `its lines are in ${currencies.join(', ')}; post one run per currency`,
      },
    ]);
  }
  const input = {
    legalEntityId: doc.legalEntityId,
    journalType: ['GENERAL', 'PAYROLL', 'ACCRUAL'].includes(j.journal_type) ? j.journal_type : 'GENERAL',
    number: j.number,
    transactionDate: j.date,
    currency: currencies[0] ?? doc.currency ?? '',
    memo: j.memo,
    sourceDocument: { type: 'JOURNAL_ENTRY', id: doc.canonicalId },
    lines: lines.rows.map((l) => ({
      accountCode: l.account_code,
      description: l.description,
      debit: l.debit,
      credit: l.credit,
      dimensions: dimensionsOf(l.dimensions),
    })),
  };
  const approval = policyFor(ctx.flow, doc.legalEntityId) === 'MANUAL' ? 'ALWAYS' : 'THRESHOLD';
  const result = await ctx.postings.acceptJournalPosting(
    input,
    FLOWS_PRINCIPAL,
    `flow:${ctx.flow.id}:${doc.canonicalId}`,
    approval,
  );
  if (!result.posting) return refused(ctx, doc, result.userErrors);
  return {
    kind: 'STARTED',
    reference: result.posting.id,
    note: `posting ${result.posting.id} ${result.posting.status === 'PENDING_APPROVAL' ? 'waits for an approver' : 'queued for the ERP'}`,
  };
};

/** A canonical line's dimensions as the posting input takes them: type → code. */
function dimensionsOf(value: unknown): Record<string, string> {
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value
        .filter((d): d is { type: string; code: string } => typeof d?.type === 'string' && typeof d?.code === 'string')
        .map((d) => [d.type, d.code]),
    );
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  return {};
}

/** POSTED_IN_ERP: done once the posting the action started is POSTED; the ERP's refusal is the document's exception. */
const postedInErp: Completion = async (ctx, doc, state) => {
  if (!state.actionReference) return { done: false, reason: 'no posting started yet' };
  const { rows } = await ctx.pool.query<{
    status: string;
    erp_document_number: string | null;
    user_errors: Array<{ code: string; field: string | null; message: string }>;
    last_error: string | null;
  }>(`select status, erp_document_number, user_errors, last_error from posting where id::text = $1`, [
    state.actionReference,
  ]);
  const p = rows[0];
  if (!p)
    return {
      done: false,
      failed: { code: 'POSTING_MISSING', field: null, message: `posting ${state.actionReference} is gone` },
    };
  const label = `${doc.number} of ${doc.legalEntityId}`;
  switch (p.status) {
    case 'POSTED':
      return { done: true, note: `posted in the ERP as ${p.erp_document_number ?? '(number pending)'}` };
    case 'FAILED': {
      const total = p.user_errors.find((e) => e.code === 'ERP_TOTAL_MISMATCH');
      if (total) {
        return {
          done: false,
          failed: {
            code: 'TAX_DIFFERENCE',
            field: 'taxAmount',
            message: `${ctx.flow.name}: ${label} was not posted: the ERP computes its taxes differently from the source. ${total.message}`,
          },
        };
      }
      return {
        done: false,
        failed: {
          code: 'ERP_REFUSED',
          field: p.user_errors[0]?.field ?? null,
          message: `${ctx.flow.name}: the ERP refused ${label}: ${p.user_errors.map((e) => e.message).join(' ') || 'no reason given'}`,
        },
      };
    }
    case 'REJECTED':
    case 'CANCELLED':
      return {
        done: false,
        failed: {
          code: `POSTING_${p.status}`,
          field: null,
          message: `${ctx.flow.name}: the posting of ${label} was ${p.status.toLowerCase()}; it is not posted again by itself.`,
        },
      };
    case 'PENDING_APPROVAL':
      return { done: false, reason: `posting ${state.actionReference} waits for an approver` };
    default:
      return {
        done: false,
        reason: `posting ${state.actionReference} is ${p.status}${p.last_error ? ` (${p.last_error})` : ''}`,
      };
  }
};

export const DOCUMENT_STEPS: FlowStepSet = {
  prerequisites: { LINES_COMPLETE: linesComplete, VENDOR_ACTIVATED: vendorActivated, INVOICE_POSTED: invoicePosted },
  checks: { PERIOD_OPEN: periodOpen },
  actions: { POST_INVOICE: postInvoice, POST_JOURNAL: postJournal },
  completions: { POSTED_IN_ERP: postedInErp },
};
