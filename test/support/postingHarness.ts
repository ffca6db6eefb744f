import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadReferenceData } from '../../canonical-schema/reference/loadReferenceData';
import { loadErpConfig, type WorkerSettings } from '../../erp/config';
import type { ErpConnector } from '../../erp/connector/ErpConnector';
import { createPostingService, type PostingService } from '../../erp/posting/createPostingService';
import type { Principal } from '../../erp/posting/Principal';
import { ensureTrytonReference } from '../../erp/tryton/ensureTrytonReference';
import { trytonConnector, type TrytonConnector } from '../../erp/tryton/trytonConnector';
import { runPostingWorker } from '../../erp/worker/runPostingWorker';
import { scratchDatabase, type ScratchDatabase } from './scratchDatabase';
import { waitFor } from './waitFor';

/** The stack's Tryton, as the posting worker reaches it (env FINSYNC_TRYTON_* or the defaults). */
export const erpConfig = loadErpConfig({ ...process.env, FINSYNC_TRYTON_TIMEOUT_MS: '10000' });

/** A connector to the stack's Tryton; `url` points it elsewhere (a closed port: Tryton unreachable). */
export function tryton(url = erpConfig.tryton.url, timeoutMs = erpConfig.tryton.timeoutMs): TrytonConnector {
  return trytonConnector({ ...erpConfig.tryton, url, timeoutMs }, erpConfig.trytonSettings);
}

/** An address where nothing listens: Tryton "down" (not a port fetch refuses to use, such as 9). */
export const UNREACHABLE_TRYTON = 'http://127.0.0.1:18999/finsync_erp/';

export const preparer: Principal = { subject: 'alice@finsync.test', roles: ['accountant'], legalEntities: ['FS-EU'] };
export const approver: Principal = { subject: 'bob@finsync.test', roles: ['approver'], legalEntities: ['FS-EU'] };

/** A scratch canonical database (migrated, reference data loaded), its pool, and a posting service over it. */
export interface PostingHarness {
  readonly db: ScratchDatabase;
  readonly pool: Pool;
  readonly erp: TrytonConnector;
  readonly service: PostingService;
  /** A service whose ERP checks cannot reach Tryton (postings are accepted without them). */
  serviceWith(erp: ErpConnector): PostingService;
  /** Runs a posting worker in this process until `until` holds (or the timeout), then stops it. */
  work(
    until: () => Promise<boolean>,
    options?: { erp?: ErpConnector; timeoutMs?: number; settings?: Partial<WorkerSettings> },
  ): Promise<void>;
  close(): Promise<void>;
}

export async function postingHarness(purpose: string): Promise<PostingHarness> {
  const db = await scratchDatabase(purpose);
  await migrateCanonicalSchema(db.url);
  const pool = new Pool({ connectionString: db.url, max: 6 });
  await loadReferenceData(pool);
  const erp = tryton();
  await ensureTrytonReference(erp, erpConfig.trytonSettings.companies);
  const serviceWith = (e: ErpConnector) => createPostingService({ pool, erp: e, referenceTtlMs: 0 });
  return {
    db,
    pool,
    erp,
    service: serviceWith(erp),
    serviceWith,
    async work(until, options = {}) {
      const worker = runPostingWorker({
        pool,
        erp: options.erp ?? erp,
        erpTimeoutMs: 2_000,
        logger: pino({ level: 'silent' }),
        settings: {
          ...erpConfig.worker,
          workerId: `test-worker-${randomUUID().slice(0, 8)}`,
          idleMs: 100,
          backoffMs: 100,
          maxBackoffMs: 500,
          ...options.settings,
        },
      });
      try {
        await waitFor(until, options.timeoutMs ?? 60_000, 'the posting worker');
      } finally {
        await worker.stop();
      }
    },
    async close() {
      await pool.end();
      // pool.end() resolves before its connections have closed at the server; a forced drop would terminate them
      // and their clients would raise the termination as an unhandled error.
      await waitFor(
        async () => {
          const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
          await admin.connect();
          try {
            const { rows } = await admin.query<{ n: number }>(
              'select count(*)::int as n from pg_stat_activity where datname = $1',
              [db.name],
            );
            return rows[0]!.n === 0;
          } finally {
            await admin.end();
          }
        },
        10_000,
        `the connections to ${db.name} to close`,
      );
      await db.drop();
    },
  };
}

/** A balanced two-line journal on open 2026 accounts; `tag` makes its memo unique (to find it in Tryton). */
export function journal(
  tag: string,
  overrides: Record<string, unknown> = {},
  amount = '1250.00',
): Record<string, unknown> {
  return {
    legalEntityId: 'FS-EU',
    journalType: 'ACCRUAL',
    number: `ACC-${tag}`,
    transactionDate: '2026-11-20',
    currency: 'EUR',
    memo: `accrual ${tag}`,
    lines: [
      { accountCode: '6300', description: 'software accrual', debit: amount, dimensions: { COST_CENTER: 'CC-100' } },
      { accountCode: '2200', description: 'accrued liabilities', credit: amount },
    ],
    ...overrides,
  };
}

/** Tryton's moves whose description contains the text (finsync's reference, or a unique memo). */
export async function trytonMoves(
  erp: TrytonConnector,
  text: string,
): Promise<Array<{ id: number; state: string; post_number: string | null; description: string; lines: number[] }>> {
  return erp.client.read('model.account.move.search_read', [
    [['description', 'like', `%${text}%`]],
    0,
    null,
    [['id', 'ASC']],
    ['state', 'post_number', 'description', 'lines'],
  ]);
}

/** The lines of a Tryton move: account code, debit, credit (decimal strings). */
export async function trytonMoveLines(
  erp: TrytonConnector,
  ids: number[],
): Promise<Array<{ account: string; debit: string; credit: string }>> {
  const rows = await erp.client.read<Array<{ 'account.': { code: string }; debit: string; credit: string }>>(
    'model.account.move.line.read',
    [ids, ['account.code', 'debit', 'credit']],
  );
  return rows.map((r) => ({ account: r['account.'].code, debit: r.debit, credit: r.credit }));
}
