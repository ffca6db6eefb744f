import type { Pool } from 'pg';
import { insertAuditBatch } from '../../cdc/audit/insertAuditBatch';
import { raiseException } from '../../cdc/exceptions/raiseException';
import { insertOutboxBatch } from '../../cdc/outbox/insertOutboxBatch';
import type { OutboxEvent } from '../../cdc/outbox/OutboxEvent';
import type { AuditEntry } from '../../cdc/audit/AuditEntry';
import { compareWithErp, type ErpJournal, type PostedJournal } from './compareWithErp';

interface Candidate {
  readonly id: string;
  readonly legal_entity_id: string;
  readonly correlation_id: string;
  readonly body: {
    readonly transactionDate: string;
    readonly currency?: string;
    readonly lines: PostedJournal['lines'];
  };
  readonly confirmation_status: string | null;
  readonly erp_reference: string;
  readonly journal_entry_id: string | null;
  readonly erp_legal_entity_id: string | null;
  readonly erp_transaction_date: string | null;
  readonly erp_posting_status: string | null;
  readonly erp_lines: ErpJournal['lines'] | null;
}

/** How many postings one pass looks at (the oldest first). */
const BATCH = 200;

/**
 * Closes the loop for journal postings: each POSTED journal not yet confirmed is compared with the canonical
 * journal entry the ERP's move became when it came back through CDC (found by its source reference, the ERP
 * document id the worker recorded). CONFIRMED and MISMATCH are recorded on the posting in one transaction with an
 * audit event (stage POSTING) and an outbox event `POSTING_CONFIRMED` / `POSTING_MISMATCH`; a mismatch also opens
 * an exception naming each difference (resolved if a later pass confirms it). Still arriving: left PENDING.
 */
export async function confirmPostings(pool: Pool): Promise<{ confirmed: number; mismatched: number; pending: number }> {
  const { rows } = await pool.query<Candidate>(
    `select p.id, p.legal_entity_id, p.correlation_id, p.body, p.confirmation_status, p.erp_reference,
            j.id as journal_entry_id, j.legal_entity_id as erp_legal_entity_id,
            to_char(j.transaction_date, 'YYYY-MM-DD') as erp_transaction_date, j.posting_status as erp_posting_status,
            (select json_agg(json_build_object('accountCode', l.account_code, 'debit', l.debit::text, 'credit', l.credit::text,
                                               'secondCurrency', l.second_currency,
                                               'amountSecondCurrency', l.amount_second_currency::text))
               from journal_line l where l.journal_entry_id = j.id) as erp_lines
       from posting p
       left join source_reference r
         on r.system = 'erp' and r.source_table = 'public.account_move' and r.source_id = p.erp_document_id
       left join journal_entry j on j.id = r.canonical_id
      where p.kind = 'JOURNAL' and p.status = 'POSTED' and p.erp_document_id is not null
        and p.confirmation_status is distinct from 'CONFIRMED'
      order by p.posted_at
      limit ${BATCH}`,
  );
  const counts = { confirmed: 0, mismatched: 0, pending: 0 };
  const client = await pool.connect();
  try {
    await client.query('begin');
    const trail: AuditEntry[] = [];
    const events: OutboxEvent[] = [];
    for (const c of rows) {
      const erp: ErpJournal | null = c.journal_entry_id
        ? {
            legalEntityId: c.erp_legal_entity_id!,
            transactionDate: c.erp_transaction_date!,
            postingStatus: c.erp_posting_status!,
            lines: c.erp_lines ?? [],
          }
        : null;
      const result = compareWithErp(
        {
          legalEntityId: c.legal_entity_id,
          transactionDate: c.body.transactionDate,
          currency: c.body.currency,
          lines: c.body.lines,
        },
        erp,
      );
      if (result.status === 'PENDING') {
        counts.pending++;
        if (c.confirmation_status === null) {
          await client.query(`update posting set confirmation_status = 'PENDING' where id = $1`, [c.id]);
        }
        continue;
      }
      const differences = result.status === 'MISMATCH' ? result.differences : [];
      if (result.status === 'MISMATCH' && c.confirmation_status === 'MISMATCH') continue;
      await client.query(
        `update posting set confirmation_status = $2, confirmation_differences = $3, erp_journal_entry_id = $4,
                confirmed_at = case when $2 = 'CONFIRMED' then now() else null end, updated_at = now(), version = version + 1
          where id = $1`,
        [c.id, result.status, JSON.stringify(differences), c.journal_entry_id],
      );
      const fingerprint = `POSTING_MISMATCH|${c.id}`;
      if (result.status === 'CONFIRMED') {
        counts.confirmed++;
        await client.query(
          `update exception set status = 'RESOLVED', resolved_at = now(),
                  resolution_reason = 'The ERP now holds what was posted'
            where code = 'POSTING_MISMATCH' and canonical_id = $1 and status = 'OPEN'`,
          [c.id],
        );
      } else {
        counts.mismatched++;
        await raiseException(client, {
          code: 'POSTING_MISMATCH',
          message: `Posting ${c.erp_reference} was posted, but the ERP's move does not hold what was posted: ${differences.join('; ')}.`,
          objectType: 'POSTING',
          legalEntityId: c.legal_entity_id,
          canonicalId: c.id,
          correlationId: c.correlation_id,
          sourceEvent: { posting: c.id, journalEntry: c.journal_entry_id, differences },
          fingerprint,
        });
      }
      trail.push({
        correlationId: c.correlation_id,
        stage: 'POSTING',
        canonicalId: c.id,
        detail: { confirmation: result.status, erpJournalEntryId: c.journal_entry_id, differences },
      });
      events.push({
        aggregateType: 'POSTING',
        aggregateId: c.id,
        correlationId: c.correlation_id,
        eventType: result.status === 'CONFIRMED' ? 'POSTING_CONFIRMED' : 'POSTING_MISMATCH',
        oldStatus: 'POSTED',
        newStatus: 'POSTED',
        legalEntityId: c.legal_entity_id,
        payload: { posting: c.id, confirmation: result.status, erpJournalEntryId: c.journal_entry_id, differences },
      });
    }
    await insertAuditBatch(client, trail);
    await insertOutboxBatch(client, events);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  return counts;
}
