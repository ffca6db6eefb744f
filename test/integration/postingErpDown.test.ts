/**
 * With Tryton unreachable, postings are accepted and queue: the worker keeps them SUBMITTED with the reason and a
 * growing attempt count, its circuit breaker opens, nothing is lost; once Tryton answers, each posts exactly once.
 */
import { randomUUID } from 'node:crypto';
import {
  journal,
  postingHarness,
  preparer,
  tryton,
  trytonMoves,
  UNREACHABLE_TRYTON,
  type PostingHarness,
} from '../support/postingHarness';

describe('postings while Tryton is down', () => {
  let h: PostingHarness;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    h = await postingHarness('posting_down');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('queues postings while Tryton is unreachable and posts each once when it is back', async () => {
    const down = tryton(UNREACHABLE_TRYTON, 1_000);
    const service = h.serviceWith(down);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await service.acceptJournalPosting(journal(`${tag}-d${i}`), preparer, `key-${tag}-d${i}`);
      expect(r.userErrors).toEqual([]);
      ids.push(r.posting!.id);
    }
    const attempts = async () =>
      (await h.pool.query<{ n: number }>(`select min(attempts)::int as n from posting where id = any($1)`, [ids]))
        .rows[0]!.n;
    // The worker tries, fails, backs off; the breaker opens after 3 consecutive failures.
    await h.work(async () => (await attempts()) >= 1, {
      erp: down,
      settings: { breakerFailures: 3, breakerHalfOpenMs: 500 },
    });
    const waiting = await h.pool.query<{ status: string; last_error: string; queued: boolean }>(
      `select p.status, p.last_error, exists (select 1 from posting_queue q where q.posting_id = p.id) as queued
         from posting p where p.id = any($1)`,
      [ids],
    );
    expect(waiting.rows).toHaveLength(5);
    for (const r of waiting.rows) {
      expect(r.status).toBe('SUBMITTED');
      expect(r.queued).toBe(true);
      expect(r.last_error).toMatch(/unreachable|circuit breaker open/);
    }
    for (const id of ids) expect(await trytonMoves(h.erp, `finsync:${id}`)).toEqual([]);

    // Tryton is back: make them due now and run the worker against it.
    await h.pool.query(`update posting_queue set run_at = now()`);
    await h.work(async () => {
      const { rows } = await h.pool.query<{ n: number }>(
        `select count(*)::int as n from posting where id = any($1) and status = 'POSTED'`,
        [ids],
      );
      return rows[0]!.n === ids.length;
    });
    for (const id of ids) {
      const moves = await trytonMoves(h.erp, `finsync:${id}`);
      expect(moves.map((m) => m.state)).toEqual(['posted']);
    }
    const left = await h.pool.query('select 1 from posting_queue where posting_id = any($1)', [ids]);
    expect(left.rowCount).toBe(0);
  });
});
