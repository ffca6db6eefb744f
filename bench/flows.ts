/**
 * `npm run bench -- flows`: invoice-to-post end to end — supplier invoices committed into the procurement source at a
 * steady rate, captured (Debezium → this process's CDC pipeline, into a scratch canonical database), routed by the flow
 * engine (flows/engine) onto the posting queue and posted in Tryton by the posting worker — beside raw Tryton in the
 * same run: the same invoices created and posted one per JSON-RPC round (finsync's connector, no pipeline).
 *
 * Setup once: scratch database, CDC from the change topics' ends, one supplier onboarded the real way (checks, Tryton
 * party, back through CDC, activated). Each repeat: N invoices at BENCH_FLOWS_RATE per second; per invoice the time
 * from its source commit to POSTED, and where it went (source → canonical, canonical → queued by the flow, queued →
 * submitted by the worker, submitted → posted in Tryton). docs/s = N ÷ (last posted − first commit).
 * ratio = finsync docs/s ÷ raw Tryton docs/s. Env BENCH_FLOWS_N (default 40), BENCH_FLOWS_RATE (default 4).
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../canonical-schema/migrate';
import { loadReferenceData } from '../canonical-schema/reference/loadReferenceData';
import { loadCdcConfig } from '../cdc/config';
import { startCdc } from '../cdc/startCdc';
import { loadErpConfig } from '../erp/config';
import { createPostingService } from '../erp/posting/createPostingService';
import { ensureTrytonReference } from '../erp/tryton/ensureTrytonReference';
import { trytonConnector } from '../erp/tryton/trytonConnector';
import { runPostingWorker } from '../erp/worker/runPostingWorker';
import { runFlows } from '../flows/engine/runFlows';
import { flowDefinition } from '../flows/registry';
import { FLOW_STEPS } from '../flows/steps/stepRegistry';
import { runVendorOnboarding } from '../flows/vendorOnboarding/runVendorOnboarding';
import { changeTopicEnds, storeGroupOffsets } from '../test/support/changeTopicOffsets';
import { invoiceDateInTryton } from '../test/support/invoiceDateInTryton';
import { stackEnv } from '../test/support/stackEnv';
import { freshGermanIban, freshGermanVat, insertSupplier } from '../test/support/vendorOnboarding';
import type { Benchmark, BenchmarkOptions, BenchmarkResult } from './Benchmark';
import { createScratchDb } from './lib/scratchDb';
import { envInt, median, round } from './lib/stats';
import { pause } from './lib/time';

export const description = 'flows: supplier invoices source commit → posted in Tryton (docs/s, p50/p95) vs raw Tryton';

const erpConfig = loadErpConfig();

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

export async function run({ repeats, log }: BenchmarkOptions): Promise<BenchmarkResult> {
  const n = envInt('BENCH_FLOWS_N', 40, 5, 2000);
  const rate = envInt('BENCH_FLOWS_RATE', 4, 1, 200);
  const erp = trytonConnector(erpConfig.tryton, erpConfig.trytonSettings);
  await ensureTrytonReference(erp, erpConfig.trytonSettings.companies);
  const db = await createScratchDb('flows');
  const pool = new Pool({ connectionString: db.url, max: 10 });
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const prefix = `BF${tag}-`;
  const procurement = new Client({ ...stackEnv.procurementPg });
  const stops: Array<() => Promise<void>> = [];
  try {
    await migrateCanonicalSchema(db.url);
    await loadReferenceData(pool);
    const groupId = `finsync-bench-flows-${tag}`;
    const ends = await changeTopicEnds();
    for (const key of [...ends.keys()]) if (key.startsWith('erp.public.account_account:')) ends.delete(key);
    await storeGroupOffsets(pool, groupId, ends);
    const cdc = await startCdc(
      { ...loadCdcConfig({}), databaseUrl: db.url, groupId, eventsTopic: `finsync.bench.flows.${tag}` },
      pino({ level: 'warn' }),
    );
    stops.push(() => cdc.stop());
    await cdc.joined;
    const logger = pino({ level: 'warn' });
    const onboarding = runVendorOnboarding({ pool, erp, logger, intervalMs: 100, sourceIdPrefix: prefix });
    stops.push(() => onboarding.stop());
    const worker = runPostingWorker({
      pool,
      erp,
      erpTimeoutMs: erpConfig.tryton.timeoutMs,
      logger,
      settings: { ...erpConfig.worker, workerId: `bench-flows-${tag}`, idleMs: 20, erpRatePerSecond: 1000 },
    });
    stops.push(() => worker.stop());
    const flows = runFlows({
      pool,
      erp,
      postings: createPostingService({ pool, erp }),
      logger,
      flows: [flowDefinition('PROCUREMENT_SUPPLIER_INVOICES')],
      steps: FLOW_STEPS,
      intervalMs: 50,
      numberPrefix: prefix,
    });
    stops.push(() => flows.stop());
    await procurement.connect();
    const supplier = `${prefix}SUP`;
    const taxId = freshGermanVat();
    await insertSupplier(procurement, {
      code: supplier,
      name: `Bench ${tag} Flows GmbH`,
      taxId,
      iban: freshGermanIban(),
    });
    for (;;) {
      const { rows } = await pool.query<{ state: string }>(
        `select a.state from source_reference r join vendor_activation a on a.vendor_id = r.canonical_id
          where r.source_table = 'public.supplier' and r.source_id = $1`,
        [supplier],
      );
      if (rows[0]?.state === 'ACTIVATED') break;
      await pause(100);
    }
    log('supplier onboarded');

    const subject: Array<{ docsPerSecond: number; p50: number; p95: number; stages: Record<string, number> }> = [];
    const base: Array<{ docsPerSecond: number; p50: number; p95: number }> = [];
    for (let r = 0; r < repeats; r++) {
      const date = await invoiceDateInTryton(erp, 1, '2026-11-05');
      const committed = new Map<string, number>();
      const first = Date.now();
      for (let i = 0; i < n; i++) {
        const number = `${prefix}R${r}-${i}`;
        const due = first + (i * 1000) / rate;
        if (due > Date.now()) await pause(due - Date.now());
        await procurement.query('begin');
        const { rows } = await procurement.query<{ id: string }>(
          `insert into supplier_invoice (supplier_ref, number, amount, tax_amount, currency, invoice_date, status, legal_entity)
           values ($1, $2, 238.00, 38.00, 'EUR', $3, 'APPROVED', 'FS-EU') returning id`,
          [supplier, number, date],
        );
        await procurement.query(
          `insert into supplier_invoice_line (supplier_invoice_id, line_no, description, account_code, cost_center, tax_code, quantity, unit_price, amount)
           values ($1, 1, 'licences', '6300', 'CC-100', 'VAT19', 2, 100.00, 200.00)`,
          [rows[0]!.id],
        );
        await procurement.query('commit');
        committed.set(number, Date.now());
      }
      type Row = { number: string; triggered: Date; created: Date; submitted: Date | null; posted: Date | null };
      let done: Row[] = [];
      for (;;) {
        const { rows } = await pool.query<Row>(
          `select f.number, f.triggered_at as triggered, p.created_at as created, p.submitted_at as submitted,
                  p.posted_at as posted
             from flow_document f join posting p on p.id::text = f.action_reference
            where f.number like $1 and p.status = 'POSTED'`,
          [`${prefix}R${r}-%`],
        );
        const failed = await pool.query(`select number, waits_for from flow_document where state = 'FAILED' limit 1`);
        if (failed.rowCount) throw new Error(`bench invoice failed: ${JSON.stringify(failed.rows[0])}`);
        done = rows;
        if (done.length >= n) break;
        await pause(100);
      }
      const latency = done.map((d) => (d.posted!.getTime() - committed.get(d.number)!) / 1000);
      const lastPosted = Math.max(...done.map((d) => d.posted!.getTime()));
      const stage = (f: (d: Row) => number) => round(median(done.map(f)), 3);
      const f = {
        docsPerSecond: n / ((lastPosted - first) / 1000),
        p50: percentile(latency, 50),
        p95: percentile(latency, 95),
        stages: {
          sourceToCanonicalS: stage((d) => (d.triggered.getTime() - committed.get(d.number)!) / 1000),
          canonicalToQueuedS: stage((d) => (d.created.getTime() - d.triggered.getTime()) / 1000),
          queuedToSubmittedS: stage((d) => (d.submitted!.getTime() - d.created.getTime()) / 1000),
          submittedToPostedS: stage((d) => (d.posted!.getTime() - d.submitted!.getTime()) / 1000),
        },
      };
      log(
        `finsync ${r + 1}/${repeats}: ${round(f.docsPerSecond, 2)} docs/s, p50 ${round(f.p50, 2)} s, p95 ${round(f.p95, 2)} s`,
      );
      subject.push(f);

      // Raw Tryton: the same invoices, one created and posted per round, no finsync pipeline.
      const rawDate = await invoiceDateInTryton(erp, 1, date);
      const rawLatency: number[] = [];
      const rawStart = Date.now();
      for (let i = 0; i < n; i++) {
        const s = Date.now();
        const out = await erp.postInvoice({
          reference: `bench-raw:${tag}:${r}:${i}`,
          legalEntityId: 'FS-EU',
          type: 'in',
          party: { name: `Bench ${tag} Flows GmbH`, taxId },
          accountCode: '2100',
          invoiceDate: rawDate,
          currency: 'EUR',
          description: `bench raw ${i}`,
          lines: [
            { accountCode: '6300', description: 'licences', quantity: '2', unitPrice: '100.00', taxCodes: ['VAT19'] },
          ],
          expectedTotal: '238.00',
        });
        if (!out.ok) throw new Error(`raw Tryton refused: ${JSON.stringify(out.refusal)}`);
        rawLatency.push((Date.now() - s) / 1000);
      }
      const b = {
        docsPerSecond: n / ((Date.now() - rawStart) / 1000),
        p50: percentile(rawLatency, 50),
        p95: percentile(rawLatency, 95),
      };
      log(`raw ${r + 1}/${repeats}: ${round(b.docsPerSecond, 2)} docs/s, p50 ${round(b.p50, 2)} s`);
      base.push(b);
    }
    const docsPerSecond = round(median(subject.map((s) => s.docsPerSecond)), 2);
    const rawDocsPerSecond = round(median(base.map((b) => b.docsPerSecond)), 2);
    const stageNames = Object.keys(subject[0]!.stages);
    return {
      metrics: {
        docsPerSecond,
        latencyP50S: round(median(subject.map((s) => s.p50)), 2),
        latencyP95S: round(median(subject.map((s) => s.p95)), 2),
        offeredRatePerSecond: rate,
        documents: n,
        whereTheTimeGoesMedianS: Object.fromEntries(
          stageNames.map((k) => [k, round(median(subject.map((s) => s.stages[k]!)), 3)]),
        ),
        runs: subject.map((s) => ({
          docsPerSecond: round(s.docsPerSecond, 2),
          p50: round(s.p50, 2),
          p95: round(s.p95, 2),
        })),
      },
      baseline: {
        rawTrytonDocsPerSecond: rawDocsPerSecond,
        rawLatencyP50S: round(median(base.map((b) => b.p50)), 2),
        rawLatencyP95S: round(median(base.map((b) => b.p95)), 2),
        runs: base.map((b) => ({ docsPerSecond: round(b.docsPerSecond, 2), p50: round(b.p50, 2) })),
      },
      ratio: round(docsPerSecond / rawDocsPerSecond, 2),
      notes:
        'ratio = finsync docs/s (source commit → posted in Tryton, at the offered rate) ÷ raw Tryton create+post docs/s ' +
        '(one document per round, back to back). finsync is paced by the offered rate; raw is not.',
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await procurement.end().catch(() => undefined);
    await pool.end();
    await db.drop();
  }
}

export default { description, run } satisfies Benchmark;
