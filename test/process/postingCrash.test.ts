/**
 * Exactly once at the ERP under crashes. The posting worker process (`tsx erp/main.ts`, as `npm start` runs it) is
 * started with the crash point `after-erp-commit`: right after Tryton confirmed a posted move, and before finsync
 * records it, the worker SIGKILLs itself. It is restarted each time until every posting is POSTED. Each restart must
 * find the move its predecessor posted by its reference instead of posting it again: at the end Tryton holds
 * exactly one posted move per posting (none twice, none lost), and each posting names that move.
 */
import { randomUUID } from 'node:crypto';
import { journal, postingHarness, preparer, type PostingHarness } from '../support/postingHarness';
import { startPostingProcess } from '../support/postingProcess';

const POSTINGS = 8;
const MAX_LIVES = 40;

describe('posting worker: killed right after Tryton commits, restarted, posts every journal exactly once', () => {
  let h: PostingHarness;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    h = await postingHarness('posting_crash');
  });
  afterAll(async () => {
    await h?.close();
  });

  it(`survives a SIGKILL after each ERP commit`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < POSTINGS; i++) {
      const r = await h.service.acceptJournalPosting(journal(`${tag}-c${i}`), preparer, `key-${tag}-c${i}`);
      expect(r.userErrors).toEqual([]);
      ids.push(r.posting!.id);
    }
    const posted = async () =>
      (
        await h.pool.query<{ n: number }>(
          `select count(*)::int as n from posting where id = any($1) and status = 'POSTED'`,
          [ids],
        )
      ).rows[0]!.n;

    const kills: string[] = [];
    let lives = 0;
    while ((await posted()) < POSTINGS && lives < MAX_LIVES) {
      lives++;
      const worker = startPostingProcess({
        FINSYNC_DATABASE_URL: h.db.url,
        FINSYNC_WORKER_CRASH_POINT: 'after-erp-commit',
        FINSYNC_WORKER_ID: `crash-test-${lives}`,
        FINSYNC_WORKER_BATCH: '4',
        FINSYNC_WORKER_IDLE_MS: '100',
        // A killed worker's claim is taken over once its lease runs out; the lease stays far above the timeout.
        FINSYNC_WORKER_LEASE_MS: '3000',
        FINSYNC_TRYTON_TIMEOUT_MS: '1000',
        FINSYNC_LOG_LEVEL: 'warn',
      });
      const stop = setTimeout(() => worker.signal('SIGTERM'), 30_000);
      const exit = await worker.exited;
      clearTimeout(stop);
      // tsx relays its child's SIGKILL as exit code 137.
      if (exit.signal === 'SIGKILL' || exit.code === 137) kills.push(`life ${lives}`);
      else if ((await posted()) < POSTINGS)
        throw new Error(`worker exited without crashing (${JSON.stringify(exit)}):\n${worker.output()}`);
    }
    expect(await posted()).toBe(POSTINGS);
    // One kill per posting: every posting's move was committed by a worker that died before recording it.
    expect(kills.length).toBeGreaterThanOrEqual(POSTINGS);

    for (const id of ids) {
      const moves = await h.erp.client.read<Array<{ id: number; state: string }>>('model.account.move.search_read', [
        [['description', 'like', `finsync:${id}%`]],
        0,
        null,
        null,
        ['state'],
      ]);
      expect(moves).toHaveLength(1);
      expect(moves[0]!.state).toBe('posted');
      const posting = (await h.service.getPosting(id))!;
      expect(posting.erp.documentId).toBe(String(moves[0]!.id));
    }
    const recovered = await h.pool.query<{ n: number }>(
      `select count(*)::int as n from audit_event
        where canonical_id = any($1) and detail->>'to' = 'POSTED' and detail->>'note' like 'found in the ERP%'`,
      [ids],
    );
    expect(recovered.rows[0]!.n).toBe(POSTINGS);
  });
});
