/**
 * `npm run bench -- posting`: how fast finsync accepts postings (validation included) and gets them confirmed by
 * Tryton, beside what Tryton's JSON-RPC does without finsync, measured in the same run, passes alternating.
 *
 * Each repeat, on a fresh scratch canonical database (migrated, reference data loaded):
 *   accept    N balanced journals through `acceptJournalPosting` (parse, the finance rules, counterparty and the
 *             ERP's period/account checks — cached lookups —, insert, audit, outbox, queue), `BENCH_POSTING_CONCURRENCY`
 *             at a time, as a gateway would call it: accepted postings/s.
 *   post      the posting worker, in this process, sends them to Tryton (lookup by reference, create, post, read
 *             back, record): ERP-confirmed postings/s, from the worker's start to the last POSTED.
 *   baseline  raw: the same N journals as `account.move` create + post over JSON-RPC with finsync's client, one
 *             after another (what the worker does per posting, minus finsync): moves/s; and raw inserts of the same
 *             bodies into a plain table (acceptance without validation): rows/s.
 * ratio = ERP-confirmed postings/s ÷ raw Tryton create+post/s. Env BENCH_POSTING_N (default 100),
 * BENCH_POSTING_CONCURRENCY (default 4). The worker's rate limit is lifted (1000/s) so the bench measures the
 * pipeline, not the configured limit (50 ERP calls/s by default).
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../canonical-schema/migrate';
import { loadReferenceData } from '../canonical-schema/reference/loadReferenceData';
import { loadErpConfig } from '../erp/config';
import { createPostingService } from '../erp/posting/createPostingService';
import type { Principal } from '../erp/posting/Principal';
import { ensureTrytonReference } from '../erp/tryton/ensureTrytonReference';
import { trytonDate, trytonDecimal } from '../erp/tryton/trytonJson';
import { trytonConnector } from '../erp/tryton/trytonConnector';
import { runPostingWorker } from '../erp/worker/runPostingWorker';
import type { Benchmark, BenchmarkOptions, BenchmarkResult } from './Benchmark';
import { createScratchDb } from './lib/scratchDb';
import { envInt, median, round } from './lib/stats';
import { pause } from './lib/time';

export const description = 'posting: accepted postings/s and Tryton-confirmed postings/s vs raw JSON-RPC create+post';

const principal: Principal = { subject: 'bench@finsync.local', roles: ['poster'], legalEntities: ['FS-EU'] };
const erpConfig = loadErpConfig();

function journal(tag: string, i: number) {
  const amount = (100 + (i % 50)).toFixed(2);
  return {
    legalEntityId: 'FS-EU',
    journalType: 'ACCRUAL',
    number: `BENCH-${tag}-${i}`,
    transactionDate: '2026-11-20',
    currency: 'EUR',
    memo: `bench ${tag} ${i}`,
    lines: [
      { accountCode: '6300', description: 'software accrual', debit: amount, dimensions: { COST_CENTER: 'CC-100' } },
      { accountCode: '2200', description: 'accrued liabilities', credit: amount },
    ],
  };
}

async function finsyncPass(n: number, concurrency: number) {
  const db = await createScratchDb('posting');
  const pool = new Pool({ connectionString: db.url, max: concurrency + 4 });
  try {
    await migrateCanonicalSchema(db.url);
    await loadReferenceData(pool);
    const erp = trytonConnector(erpConfig.tryton, erpConfig.trytonSettings);
    const service = createPostingService({ pool, erp });
    const tag = randomUUID().slice(0, 8);
    // Warm the caches (reference data, ERP lookups, the Tryton session) outside the clock.
    await service.acceptJournalPosting(journal(tag, -1), principal, `${tag}-warm`);

    let next = 0;
    const acceptStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          const i = next++;
          const r = await service.acceptJournalPosting(journal(tag, i), principal, `${tag}-${i}`);
          if (r.userErrors.length) throw new Error(`bench journal refused: ${JSON.stringify(r.userErrors)}`);
        }
      }),
    );
    const acceptSeconds = (performance.now() - acceptStart) / 1000;

    const postStart = performance.now();
    const worker = runPostingWorker({
      pool,
      erp,
      erpTimeoutMs: erpConfig.tryton.timeoutMs,
      logger: pino({ level: 'warn' }),
      settings: { ...erpConfig.worker, workerId: `bench-${tag}`, idleMs: 20, erpRatePerSecond: 1000 },
    });
    let posted = 0;
    while (posted < n + 1) {
      await pause(20);
      const { rows } = await pool.query<{ n: number }>(
        `select count(*)::int as n from posting where status = 'POSTED'`,
      );
      posted = rows[0]!.n;
      const failed = await pool.query(`select user_errors from posting where status = 'FAILED' limit 1`);
      if (failed.rowCount) throw new Error(`bench posting failed: ${JSON.stringify(failed.rows[0])}`);
    }
    const postSeconds = (performance.now() - postStart) / 1000;
    await worker.stop();
    return {
      acceptedPerSecond: n / acceptSeconds,
      erpConfirmedPerSecond: (n + 1) / postSeconds,
      acceptSeconds,
      postSeconds,
    };
  } finally {
    await pool.end();
    await db.drop();
  }
}

async function rawPass(n: number) {
  const erp = trytonConnector(erpConfig.tryton, erpConfig.trytonSettings);
  const { client, lookups } = erp;
  const company = lookups.company('FS-EU');
  const journalId = (await lookups.journal(erpConfig.trytonSettings.journalCode))!;
  const period = (await lookups.period('FS-EU', '2026-11-20'))!;
  const accounts = await lookups.accounts('FS-EU');
  const tag = randomUUID().slice(0, 8);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const amount = trytonDecimal((100 + (i % 50)).toFixed(2));
    const zero = trytonDecimal('0');
    const [id] = await client.read<number[]>(
      'model.account.move.create',
      [
        [
          {
            company,
            journal: journalId,
            period: Number(period.id),
            date: trytonDate('2026-11-20'),
            description: `bench-raw ${tag} ${i}`,
            lines: [
              [
                'create',
                [
                  { account: Number(accounts.get('6300')!.id), debit: amount, credit: zero },
                  { account: Number(accounts.get('2200')!.id), debit: zero, credit: amount },
                ],
              ],
            ],
          },
        ],
      ],
      { company },
    );
    await client.read('model.account.move.post', [[id]], { company });
  }
  const trytonSeconds = (performance.now() - start) / 1000;

  // Acceptance without finsync: one insert per body into a plain table of a scratch database.
  const db = await createScratchDb('posting_raw');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    await pool.query(`create table raw_posting (id uuid primary key, body jsonb not null)`);
    const s = performance.now();
    for (let i = 0; i < n; i++) {
      await pool.query(`insert into raw_posting values ($1, $2)`, [randomUUID(), JSON.stringify(journal(tag, i))]);
    }
    const insertSeconds = (performance.now() - s) / 1000;
    return { trytonMovesPerSecond: n / trytonSeconds, rawInsertsPerSecond: n / insertSeconds };
  } finally {
    await pool.end();
    await db.drop();
  }
}

export async function run({ repeats, log }: BenchmarkOptions): Promise<BenchmarkResult> {
  const n = envInt('BENCH_POSTING_N', 100, 5, 5000);
  const concurrency = envInt('BENCH_POSTING_CONCURRENCY', 4, 1, 32);
  await ensureTrytonReference(
    trytonConnector(erpConfig.tryton, erpConfig.trytonSettings),
    erpConfig.trytonSettings.companies,
  );
  const subject: Array<Awaited<ReturnType<typeof finsyncPass>>> = [];
  const base: Array<Awaited<ReturnType<typeof rawPass>>> = [];
  for (let r = 0; r < repeats; r++) {
    const f = await finsyncPass(n, concurrency);
    log(
      `finsync ${r + 1}/${repeats}: accepted ${round(f.acceptedPerSecond)}/s, confirmed ${round(f.erpConfirmedPerSecond)}/s`,
    );
    subject.push(f);
    const b = await rawPass(n);
    log(
      `raw ${r + 1}/${repeats}: Tryton create+post ${round(b.trytonMovesPerSecond)}/s, inserts ${round(b.rawInsertsPerSecond)}/s`,
    );
    base.push(b);
  }
  const acceptedPerSecond = round(median(subject.map((s) => s.acceptedPerSecond)));
  const erpConfirmedPerSecond = round(median(subject.map((s) => s.erpConfirmedPerSecond)));
  const trytonMovesPerSecond = round(median(base.map((b) => b.trytonMovesPerSecond)));
  const rawInsertsPerSecond = round(median(base.map((b) => b.rawInsertsPerSecond)));
  return {
    metrics: {
      acceptedPerSecond,
      erpConfirmedPerSecond,
      postings: n,
      acceptConcurrency: concurrency,
      runs: subject.map((s) => ({
        acceptedPerSecond: round(s.acceptedPerSecond),
        erpConfirmedPerSecond: round(s.erpConfirmedPerSecond),
      })),
    },
    baseline: {
      trytonMovesPerSecond,
      rawInsertsPerSecond,
      runs: base.map((b) => ({
        trytonMovesPerSecond: round(b.trytonMovesPerSecond),
        rawInsertsPerSecond: round(b.rawInsertsPerSecond),
      })),
    },
    ratio: round(erpConfirmedPerSecond / trytonMovesPerSecond, 3),
    notes:
      `ratio = ERP-confirmed postings/s (finsync worker) ÷ raw Tryton JSON-RPC account.move create+post/s, sequential ` +
      `on both sides. Accepted postings/s (validation, insert, audit, outbox, queue; ${concurrency} concurrent callers) ` +
      `compare with raw single-row jsonb inserts/s (${round(acceptedPerSecond / rawInsertsPerSecond, 3)}). ` +
      `Worker rate limit lifted to 1000/s for the bench.`,
  };
}

const benchmark: Benchmark = { description, run };
export default benchmark;
