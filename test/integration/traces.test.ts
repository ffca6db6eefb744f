/**
 * OpenTelemetry traces from the real processes, collected by an OTLP receiver the test runs itself:
 *   - one GraphQL request through the gateway (its six subgraphs and the gateway as `npm start` runs them, each a
 *     process with OTEL_EXPORTER_OTLP_ENDPOINT set) yields one trace with the gateway's span, a span in each subgraph
 *     the request called, and their SQL spans;
 *   - one change written into a source yields a trace from the CDC process's `cdc.batch` to its `cdc.apply`
 *     transaction and SQL, carrying the change's correlation id (the one of its audit trail).
 */
import { Client, Pool } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { SUBGRAPH_PORTS, type SubgraphName } from '../../subgraphs/shared/SubgraphConfig';
import { changeTopicEnds, storeGroupOffsets } from '../support/changeTopicOffsets';
import { startFinsyncProcess, type FinsyncProcess } from '../support/finsyncProcess';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlpReceiver';
import { freePort } from '../support/prometheusServer';
import { freshSeed } from '../support/runSeed';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { stackEnv } from '../support/stackEnv';
import { bearer } from '../support/tokens';
import { waitFor } from '../support/waitFor';

const seed = freshSeed();
const SUBGRAPHS = Object.keys(SUBGRAPH_PORTS) as SubgraphName[];
const isSql = (s: ReceivedSpan) =>
  s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql';

describe('traces: gateway → subgraphs → SQL, and CDC batch → apply with the change’s correlation id', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let receiver: OtlpReceiver;
  const processes: FinsyncProcess[] = [];
  let gatewayUrl: string;
  const groupId = `finsync-test-traces-${seed}`;

  beforeAll(async () => {
    db = await scratchDatabase('traces');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    await storeGroupOffsets(pool, groupId, await changeTopicEnds());
    receiver = await startOtlpReceiver();
    const common = {
      FINSYNC_DATABASE_URL: db.url,
      FINSYNC_EVENTS_TOPIC: `finsync.test.traces.${seed}`,
      FINSYNC_LOG_LEVEL: 'info',
      FINSYNC_LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    };
    const ports = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (n) => [n, await freePort()] as const)));
    for (const name of SUBGRAPHS) {
      processes.push(
        startFinsyncProcess(name, `subgraphs/${name}/main.ts`, {
          ...common,
          FINSYNC_INSTANCE: `${name}-1`,
          [`FINSYNC_${name.toUpperCase()}_PORT`]: String(ports[name]),
        }),
      );
    }
    const gatewayPort = await freePort();
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    processes.push(
      startFinsyncProcess('gateway', 'gateway/main.ts', {
        ...common,
        FINSYNC_INSTANCE: 'gateway-1',
        FINSYNC_GATEWAY_PORT: String(gatewayPort),
        ...Object.fromEntries(
          SUBGRAPHS.map((n) => [`FINSYNC_${n.toUpperCase()}_URL`, `http://127.0.0.1:${ports[n]}/graphql`]),
        ),
      }),
      startFinsyncProcess('cdc', 'cdc/main.ts', {
        ...common,
        FINSYNC_INSTANCE: 'cdc-1',
        FINSYNC_CDC_GROUP_ID: groupId,
      }),
    );
    await waitFor(
      async () => {
        const dead = processes.find((p) => p.hasExited());
        if (dead) throw new Error(`${dead.name} exited:\n${dead.output().slice(-3000)}`);
        return fetch(gatewayUrl.replace('/graphql', '/readyz'))
          .then((r) => r.ok)
          .catch(() => false);
      },
      120_000,
      'the gateway to compose the subgraphs and be ready',
      500,
    );
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await receiver?.close();
    await pool?.end();
    await db?.drop();
  });

  it('follows one GraphQL request from the gateway into each subgraph it called and their SQL', async () => {
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { authorization: await bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query ObsTrace { invoices(first: 1) { totalCount } vendors(first: 1) { totalCount } }',
      }),
    });
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    const trace = await waitFor(
      async () => {
        const roots = receiver.spans.filter(
          (s) =>
            s.service === 'finsync-gateway' && s.parentSpanId === '' && s.attributes['http.request.method'] === 'POST',
        );
        for (const root of roots) {
          const spans = receiver.spans.filter((s) => s.traceId === root.traceId);
          const ok = ['finsync-invoices', 'finsync-vendors'].every((svc) =>
            spans.some((s) => s.service === svc && isSql(s)),
          );
          if (ok) return spans;
        }
        return null;
      },
      30_000,
      'one trace with the gateway, the invoices and vendors subgraphs and their SQL',
      500,
    );
    const services = new Set(trace!.map((s) => s.service));
    expect([...services].sort()).toEqual(['finsync-gateway', 'finsync-invoices', 'finsync-vendors']);
    // The subgraphs' spans hang under the gateway's calls to them (traceparent over HTTP), not beside them.
    const byId = new Map(trace!.map((s) => [s.spanId, s]));
    for (const sql of trace!.filter(isSql)) {
      let at: ReceivedSpan | undefined = sql;
      while (at && at.parentSpanId) at = byId.get(at.parentSpanId);
      expect(at?.service).toBe('finsync-gateway');
    }
  });

  it('follows one source change from the CDC batch to its canonical commit, with its correlation id', async () => {
    const source = new Client({ ...stackEnv.procurementPg });
    await source.connect();
    const code = `OBS${seed}-SUP`;
    const { rows } = await source.query<{ id: string }>(
      `insert into supplier (supplier_code, legal_name, onboarding_status, currency, legal_entity, country)
       values ($1, 'Obs Trace Supplier GmbH', 'DRAFT', 'EUR', 'FS-EU', 'DE') returning id::text`,
      [code],
    );
    await source.end();
    expect(rows).toHaveLength(1);
    const correlationId = await waitFor(
      async () =>
        (
          await pool.query<{ correlation_id: string }>(
            `select correlation_id::text from audit_event where source_system = 'procurement' and source_id = $1 limit 1`,
            [code],
          )
        ).rows[0]?.correlation_id,
      60_000,
      `the supplier ${code} to reach the canonical store`,
      500,
    );
    const trace = await waitFor(
      async () => {
        const apply = receiver.spans.find(
          (s) =>
            s.name === 'cdc.apply' &&
            Array.isArray(s.attributes['finsync.correlation_ids']) &&
            (s.attributes['finsync.correlation_ids'] as unknown[]).includes(correlationId),
        );
        return apply ? receiver.spans.filter((s) => s.traceId === apply.traceId) : null;
      },
      30_000,
      `a cdc.apply span carrying correlation id ${correlationId}`,
      500,
    );
    const names = trace!.map((s) => s.name);
    expect(names).toContain('cdc.batch');
    expect(names).toContain('cdc.apply');
    expect(trace!.every((s) => s.service === 'finsync-cdc')).toBe(true);
    const batch = trace!.find((s) => s.name === 'cdc.batch')!;
    expect(batch.parentSpanId).toBe('');
    expect(String(batch.attributes['messaging.destination.name'])).toContain('procurement.public.supplier');
    // The canonical commit itself is in the trace.
    expect(
      trace!.some(
        (s) =>
          isSql(s) &&
          /commit/i.test(s.name + String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '')),
      ),
    ).toBe(true);
  });
});
