import { Decimal } from '../../../canonical-schema/money/Decimal';
import type { ErpRecord, ErpStage, PostingOfRecord } from '../flows/erpStages';
import type { CanonicalRecord, FlowDefinition } from '../flows/FlowDefinition';
import type { RecordDifference } from './RecordDifference';

/** How finance people say a status. */
const WORDS: Readonly<Record<string, string>> = {
  DRAFT: 'a draft',
  SUBMITTED: 'submitted',
  AUTHORIZED: 'authorized',
  OPEN: 'open',
  PARTIALLY_PAID: 'partly paid',
  PAID: 'paid',
  VOID: 'void',
  PENDING: 'pending',
  SETTLED: 'settled',
  FAILED: 'failed',
};
const word = (status: string) => WORDS[status] ?? status.toLowerCase();
/** The ERP's status in words: Tryton's own word for a cancelled document. */
const erpWord = (r: ErpRecord) => (r.state === 'cancelled' ? 'cancelled' : word(r.status));

/** `1234.5` → `1,234.50`. */
export function formatAmount(amount: string): string {
  const [whole, cents] = new Decimal(amount).toFixed(2).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** Postings a record is on its way to the ERP with. */
const IN_FLIGHT: Readonly<Record<string, string>> = {
  DRAFT: 'being prepared',
  PENDING_APPROVAL: 'waiting for approval',
  APPROVED: 'approved and queued for the ERP',
  SUBMITTED: 'being sent to the ERP',
};

/**
 * Compares a flow's canonical records with their ERP side; pure. A record and its ERP copy agree when they have
 * the same currency, amount (in the document's currency) and status; a record that finsync posted and the ERP does
 * not hold (refused, deleted there, or not back yet) is MISSING_IN_ERP; a document the ERP holds that no source
 * knows (entered in Tryton directly) is MISSING_AT_SOURCE. A record never posted is no difference: nothing has routed
 * it to the ERP yet (the stage counts show it).
 */
export function compareErp(
  flow: FlowDefinition,
  canonicals: readonly CanonicalRecord[],
  stage: Extract<ErpStage, { status: 'AVAILABLE' }>,
  graceSeconds: number,
): RecordDifference[] {
  const out: RecordDifference[] = [];
  const { system, table } = flow.source;
  const document = flow.objectType === 'PAYMENT' ? 'payment' : 'invoice';
  const erpById = new Map<string, ErpRecord>();
  for (const r of stage.records) if (r.role === 'TARGET' && r.canonical_id) erpById.set(r.canonical_id, r);
  const postingOf = new Map<string, PostingOfRecord>(stage.postings.map((p) => [p.canonical_id, p]));
  const canonicalIds = new Set(canonicals.map((c) => c.canonical_id));
  const tryton = (r: ErpRecord) => `Tryton ${document} ${r.number ?? r.source_id}`;

  for (const c of canonicals) {
    if (c.deleted) continue;
    const label = `${c.number ?? c.source_id} (${system} ${table} ${c.source_id})`;
    const erp = erpById.get(c.canonical_id);
    const posting = postingOf.get(c.canonical_id);
    const diff = (
      reason: RecordDifference['reason'],
      status: RecordDifference['status'],
      message: string,
      canonicalValue: string | null,
      erpValue: string | null,
    ) =>
      out.push({
        flowId: flow.id,
        reason,
        stages: ['CANONICAL', 'ERP'],
        status,
        message,
        sourceSystem: system,
        sourceTable: table,
        sourceId: c.source_id,
        number: c.number,
        canonicalId: c.canonical_id,
        sourceValue: null,
        canonicalValue,
        erpValue,
        exceptionId: null,
      });
    if (!erp || erp.deleted) {
      if (erp?.deleted) {
        diff(
          'MISSING_IN_ERP',
          'MISMATCH',
          `${label} was posted to the ERP as ${tryton(erp)}, which has been deleted there.`,
          c.amount,
          null,
        );
      } else if (posting?.status === 'FAILED') {
        const why = posting.user_errors.map((e) => e.message).join(' ') || 'no reason given';
        diff(
          'MISSING_IN_ERP',
          'MISMATCH',
          `${label} is not in the ERP: it refused posting ${posting.posting_id}: ${why}`,
          c.amount,
          null,
        );
      } else if (posting && IN_FLIGHT[posting.status]) {
        diff(
          'MISSING_IN_ERP',
          'PENDING',
          `${label} is on its way to the ERP: posting ${posting.posting_id} is ${IN_FLIGHT[posting.status]}.`,
          c.amount,
          null,
        );
      } else if (posting?.status === 'POSTED') {
        const recent = (posting.posted_age_seconds ?? 0) < graceSeconds;
        diff(
          'MISSING_IN_ERP',
          recent ? 'PENDING' : 'MISMATCH',
          `${label} was posted to the ERP (posting ${posting.posting_id}${posting.erp_document_number ? `, Tryton number ${posting.erp_document_number}` : ''}) but the ERP's copy has ${recent ? 'not come back yet' : 'not come back through CDC'}.`,
          c.amount,
          null,
        );
      }
      continue;
    }
    if ((c.currency ?? '').trim() !== erp.currency) {
      diff(
        'CURRENCY_DIFFERS',
        'MISMATCH',
        `${label}: in ${erp.currency} in the ERP, in ${(c.currency ?? '').trim()} in ${system} (${tryton(erp)}).`,
        c.currency,
        erp.currency,
      );
    } else if (c.amount !== null && !new Decimal(c.amount).equals(erp.amount)) {
      diff(
        'AMOUNT_DIFFERS',
        'MISMATCH',
        `${label}: amount in the ERP ${formatAmount(erp.amount)}, in ${system} ${formatAmount(c.amount)} (${erp.currency}; ${tryton(erp)}).`,
        c.amount,
        erp.amount,
      );
    }
    if (erp.status !== c.status) {
      // A posting's draft in the ERP is the moment between Tryton's create and its post.
      const inFlight = ['DRAFT', 'SUBMITTED'].includes(erp.status) && posting && IN_FLIGHT[posting.status];
      diff(
        'STATUS_DIFFERS',
        inFlight ? 'PENDING' : 'MISMATCH',
        `${label}: ${erpWord(erp)} in the ERP, ${word(c.status)} in ${system} (${tryton(erp)}).`,
        c.status,
        erp.status,
      );
    }
  }

  // What the ERP holds that none of the flow's records is: entered in Tryton directly (or posted by another finsync).
  for (const r of stage.records) {
    if (r.deleted || (r.role === 'TARGET' && r.canonical_id && canonicalIds.has(r.canonical_id))) continue;
    if (r.role === 'TARGET') continue;
    const what = `${tryton(r)} (${formatAmount(r.amount)} ${r.currency}, ${erpWord(r)})`;
    out.push({
      flowId: flow.id,
      reason: 'MISSING_AT_SOURCE',
      stages: ['SOURCE', 'ERP'],
      status: 'MISMATCH',
      message: r.foreign
        ? `${what} carries the reference of a posting finsync does not hold; ${system} does not know it.`
        : `${what} was entered in the ERP directly; ${system} does not know it.`,
      sourceSystem: 'erp',
      sourceTable: r.source_table,
      sourceId: r.source_id,
      number: r.number,
      canonicalId: r.canonical_id,
      sourceValue: null,
      canonicalValue: null,
      erpValue: r.amount,
      exceptionId: null,
    });
  }
  return out;
}
