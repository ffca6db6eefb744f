/**
 * Journals posted through the posting functions and the worker into the real Tryton: a posted move with the same
 * lines; the lifecycle audited and in the outbox; idempotency keys; approval with segregation of duties.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from '../../canonical-schema/money/Decimal';
import {
  approver,
  journal,
  postingHarness,
  preparer,
  trytonMoveLines,
  trytonMoves,
  type PostingHarness,
} from '../support/postingHarness';

describe('journal postings into Tryton', () => {
  let h: PostingHarness;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    h = await postingHarness('posting_journal');
  });
  afterAll(async () => {
    await h?.close();
  });

  const statusOf = async (id: string) => (await h.service.getPosting(id))?.status;

  it('posts a journal within the threshold once, as a posted Tryton move with the same lines', async () => {
    const accepted = await h.service.acceptJournalPosting(journal(`${tag}-1`), preparer, `key-${tag}-1`);
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.posting?.status).toBe('APPROVED');
    const id = accepted.posting!.id;
    await h.work(async () => (await statusOf(id)) === 'POSTED');

    const posted = (await h.service.getPosting(id))!;
    expect(posted.erp.reference).toBe(`finsync:${id}`);
    const moves = await trytonMoves(h.erp, posted.erp.reference);
    expect(moves).toHaveLength(1);
    expect(moves[0]!.state).toBe('posted');
    expect(String(moves[0]!.id)).toBe(posted.erp.documentId);
    expect(moves[0]!.post_number).toBe(posted.erp.documentNumber);
    const lines = await trytonMoveLines(h.erp, moves[0]!.lines);
    expect(
      lines.map((l) => `${l.account} ${new Decimal(l.debit).toFixed(2)} ${new Decimal(l.credit).toFixed(2)}`).sort(),
    ).toEqual(['2200 0.00 1250.00', '6300 1250.00 0.00']);

    const audit = await h.pool.query<{ detail: { from: string | null; to: string } }>(
      `select detail from audit_event where canonical_id = $1 and stage = 'POSTING' order by id`,
      [id],
    );
    expect(audit.rows.map((r) => `${r.detail.from}→${r.detail.to}`)).toEqual([
      'null→DRAFT',
      'DRAFT→APPROVED',
      'APPROVED→SUBMITTED',
      'SUBMITTED→POSTED',
    ]);
    const outbox = await h.pool.query<{ event_type: string; new_status: string }>(
      `select event_type, new_status from outbox where aggregate_id = $1 order by id`,
      [id],
    );
    expect(outbox.rows.map((r) => `${r.event_type}:${r.new_status}`)).toEqual([
      'POSTING_STATUS_CHANGED:APPROVED',
      'POSTING_STATUS_CHANGED:SUBMITTED',
      'POSTING_STATUS_CHANGED:POSTED',
      'JOURNAL_POSTED:POSTED',
    ]);
    const queue = await h.pool.query('select 1 from posting_queue where posting_id = $1', [id]);
    expect(queue.rowCount).toBe(0);
  });

  it('returns the same posting for the same idempotency key and body, and refuses the key with another body', async () => {
    const key = `key-${tag}-idem`;
    const first = await h.service.acceptJournalPosting(journal(`${tag}-2`), preparer, key);
    // The same journal with amounts written differently is the same body.
    const again = await h.service.acceptJournalPosting(journal(`${tag}-2`, {}, '1250'), preparer, key);
    expect(again.userErrors).toEqual([]);
    expect(again.posting?.id).toBe(first.posting!.id);
    const other = await h.service.acceptJournalPosting(journal(`${tag}-2`, {}, '1300.00'), preparer, key);
    expect(other.posting).toBeNull();
    expect(other.userErrors).toEqual([
      {
        code: 'IDEMPOTENCY_KEY_REUSED',
        field: 'idempotencyKey',
        message: expect.stringContaining(
          `Idempotency key ${key} was already used for another journal (posting ${first.posting!.id})`,
        ),
      },
    ]);
    const { rows } = await h.pool.query('select count(*)::int as n from posting where idempotency_key = $1', [key]);
    expect(rows[0].n).toBe(1);
  });

  it('holds a journal above the threshold for approval; the preparer cannot approve it, another approver can', async () => {
    const accepted = await h.service.acceptJournalPosting(
      journal(`${tag}-3`, {}, '25000.00'),
      preparer,
      `key-${tag}-3`,
    );
    expect(accepted.posting?.status).toBe('PENDING_APPROVAL');
    const id = accepted.posting!.id;
    const queued = await h.pool.query('select 1 from posting_queue where posting_id = $1', [id]);
    expect(queued.rowCount).toBe(0);

    const self = await h.service.approvePosting(id, { ...preparer, roles: ['accountant', 'approver'] });
    expect(self.userErrors.map((e) => e.code)).toEqual(['SEGREGATION_OF_DUTIES']);
    expect(self.posting?.status).toBe('PENDING_APPROVAL');
    const poster = await h.service.approvePosting(id, { ...preparer, subject: 'carol@finsync.test' });
    expect(poster.userErrors.map((e) => e.code)).toEqual(['FORBIDDEN']);

    const approved = await h.service.approvePosting(id, approver);
    expect(approved.userErrors).toEqual([]);
    expect(approved.posting).toMatchObject({
      status: 'APPROVED',
      approver: approver.subject,
      preparer: preparer.subject,
    });
    await h.work(async () => (await statusOf(id)) === 'POSTED');
    expect(await trytonMoves(h.erp, `finsync:${id}`)).toHaveLength(1);
  });

  it('rejects with a reason, cancels, and never posts a source document twice', async () => {
    const source = { type: 'PAYROLL_RUN', id: `PR-${tag}` };
    const big = await h.service.acceptJournalPosting(
      journal(`${tag}-4`, { sourceDocument: source }, '30000.00'),
      preparer,
      `key-${tag}-4`,
    );
    expect(big.posting?.status).toBe('PENDING_APPROVAL');
    const twice = await h.service.acceptJournalPosting(
      journal(`${tag}-4b`, { sourceDocument: source }),
      preparer,
      `key-${tag}-4b`,
    );
    expect(twice.posting).toBeNull();
    expect(twice.userErrors).toEqual([
      {
        code: 'DOCUMENT_ALREADY_POSTED',
        field: 'sourceDocument',
        message: `PAYROLL_RUN PR-${tag} already has posting ${big.posting!.id} (PENDING_APPROVAL); the same source document is never posted twice.`,
      },
    ]);
    const noReason = await h.service.rejectPosting(big.posting!.id, approver, ' ');
    expect(noReason.userErrors.map((e) => e.code)).toEqual(['REASON_REQUIRED']);
    const rejected = await h.service.rejectPosting(big.posting!.id, approver, 'wrong cost center');
    expect(rejected.posting).toMatchObject({ status: 'REJECTED', decisionReason: 'wrong cost center' });
    // Rejected frees the source document; cancelling the new posting frees it again.
    const retried = await h.service.acceptJournalPosting(
      journal(`${tag}-4c`, { sourceDocument: source }),
      preparer,
      `key-${tag}-4c`,
    );
    expect(retried.posting?.status).toBe('APPROVED');
    const cancelled = await h.service.cancelPosting(retried.posting!.id, preparer);
    expect(cancelled.posting?.status).toBe('CANCELLED');
    await h.work(async () => (await h.pool.query('select 1 from posting_queue')).rowCount === 0, { timeoutMs: 10_000 });
    expect(await trytonMoves(h.erp, `${tag}-4`)).toEqual([]);
  });
});
