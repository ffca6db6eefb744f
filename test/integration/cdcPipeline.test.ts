/**
 * The CDC pipeline end to end on the real stack: the generator seeds all stand-in sources with a known
 * data set and one of each planted anomaly; Debezium captures them; finsync's pipeline (in this process,
 * against a scratch canonical database) must apply every clean record with exact amounts, raise exactly
 * the planted exceptions with readable messages, and park the early payment until its invoice arrives.
 */
import { Decimal } from '../../canonical-schema/money/Decimal';
import { Pool } from 'pg';
import pino from 'pino';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import type { Manifest } from '../../stack/seed/manifest';
import { freshSeed, runSeed } from '../support/runSeed';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { waitFor } from '../support/waitFor';

const seed = freshSeed();
const prefix = `S${seed}-`;

describe('CDC pipeline: four sources → canonical model, with the planted anomalies', () => {
  let db: ScratchDatabase;
  let cdc: RunningCdc;
  let pool: Pool;
  let manifest: Manifest;

  /** Open exceptions of this run: their message names a record of this run, or the poison offset. */
  const exceptionsOfThisRun = async () => {
    const poison = manifest.anomalies.find((a) => a.kind === 'POISON_MESSAGE')?.kafka;
    const { rows } = await pool.query<{ code: string; message: string; source_table: string; source_id: string }>(
      `select code, message, source_table, source_id from exception
        where status = 'OPEN'
          and (message like '%' || $1 || '%' or (code = 'POISON_MESSAGE' and source_table = $2 and source_id = $3))
        order by code`,
      [prefix, poison?.topic ?? '', poison ? `${poison.partition}:${poison.offset}` : ''],
    );
    return rows;
  };

  beforeAll(async () => {
    db = await scratchDatabase('pipeline');
    const config = { ...loadCdcConfig({}), databaseUrl: db.url, groupId: `finsync-test-pipeline-${seed}` };
    // Offsets stored by this group on another Kafka cluster (a replaced broker) must not make it skip anything.
    await migrateCanonicalSchema(db.url);
    const setup = new Pool({ connectionString: db.url, max: 1 });
    await setup.query(
      `insert into consumer_offset (group_id, topic, partition, next_offset, cluster_id)
       select $1, t, 0, 999999999, 'a-replaced-cluster' from unnest($2::text[]) as t`,
      [
        config.groupId,
        [
          'billing.billing.invoice',
          'billing.billing.payment',
          'procurement.public.supplier',
          'payroll.public.payroll_journal',
        ],
      ],
    );
    await setup.end();
    cdc = await startCdc(config, pino({ level: 'warn' }), { startAt: 'latest' });
    await cdc.joined;
    pool = new Pool({ connectionString: db.url, max: 2 });
    // --erp: a Tryton party per supplier with the supplier's tax id, captured from the real ERP.
    manifest = await runSeed(['--scenario', 'anomalies', '--erp'], seed);
    const expected = manifest.anomalies.filter((a) => a.expectedException && a.raisedBy === 'pipeline').length;
    const c = manifest.controls;
    // Every kind of record of this run has landed (the assertions then check exact values).
    const landed = async () => {
      const { rows } = await pool.query<Record<string, number>>(
        `select (select count(*) from invoice where type = 'ACCOUNTS_RECEIVABLE' and not is_credit_note and number like $1 || '%')::int as ar,
                (select count(*) from invoice where type = 'ACCOUNTS_PAYABLE' and number like $1 || '%')::int as ap,
                (select count(*) from payment where reference like $1 || '%')::int as payments,
                (select count(*) from journal_entry where number like $1 || '%')::int as journals,
                (select count(*) from source_reference where object_type in ('VENDOR', 'CUSTOMER') and source_id like $1 || '%')::int as parties,
                (select count(*) from source_reference p where p.object_type = 'VENDOR' and p.source_id like $1 || '%'
                    and not exists (select 1 from source_reference e where e.canonical_id = p.canonical_id
                                     and e.system = 'erp' and e.source_table = 'public.party_identifier'))::int as unmerged`,
        [prefix],
      );
      const n = rows[0]!;
      return (
        n.ar! >= c['billing.invoice']!.count &&
        n.ap! >= c['procurement.supplier_invoice']!.count + 1 &&
        n.payments! >= c['billing.payment']!.count &&
        n.journals! >= c['payroll.payroll_journal']!.count &&
        n.parties! >= c['procurement.supplier']!.count + c['billing.customer']!.count &&
        n.unmerged === 0 &&
        (await exceptionsOfThisRun()).length >= expected
      );
    };
    await waitFor(landed, 180_000, 'every record and planted exception of the run');
  });

  afterAll(async () => {
    await cdc?.stop();
    await pool?.end();
    await db?.drop();
  });

  it('raises exactly the planted exceptions, one each, nothing else', async () => {
    // INVALID_IBAN is vendor onboarding's (a flow after the pipeline), not the pipeline's.
    const expected = manifest.anomalies
      .filter((a) => a.raisedBy === 'pipeline')
      .map((a) => a.expectedException)
      .filter((c): c is NonNullable<typeof c> => c !== null)
      .sort();
    expect((await exceptionsOfThisRun()).map((e) => e.code)).toEqual(expected);
  });

  it('words each exception so a finance user can act on it', async () => {
    const byCode = Object.fromEntries((await exceptionsOfThisRun()).map((e) => [e.code, e.message]));
    const anomaly = (kind: string) => manifest.anomalies.find((a) => a.kind === kind)!;
    expect(byCode.DUPLICATE_VENDOR).toMatch(
      new RegExp(`${anomaly('DUPLICATE_VENDOR').records[0]!.key.supplier_code}.*looks like vendor .* the same tax id`),
    );
    expect(byCode.UNKNOWN_DIMENSION).toMatch(
      new RegExp(
        `Line \\d+ of invoice ${anomaly('UNKNOWN_DIMENSION').records[0]!.key.number} names cost center CC-999, which is not a known dimension for FS-EU`,
      ),
    );
    expect(byCode.UNBALANCED_JOURNAL).toMatch(
      /does not balance in EUR: debits [\d.]+ and credits [\d.]+ differ by 100\.00\./,
    );
    expect(byCode.PERIOD_CLOSED).toMatch(/is dated 2025-06-15, in FS-EU period 2025-06, which is closed\./);
    expect(byCode.DUPLICATE_INVOICE).toMatch(/repeats invoice number .* already used in fiscal year 2026/);
    expect(byCode.INACTIVE_COUNTERPARTY).toMatch(
      /whose status is INACTIVE: only active counterparties may be invoiced or paid/,
    );
    expect(byCode.POISON_MESSAGE).toMatch(/could not be read: .*moved to the dead-letter topic/);
  });

  it('parks the payment that arrived before its invoice, then applies it and settles the invoice', async () => {
    // One audit row per pass through the pipeline: its final stage, and the stages it went through.
    const { rows } = await pool.query<{ stage: string; stages: string[] }>(
      `select a.stage, a.detail->'stages' as stages from audit_event a join payment p on p.correlation_id = a.correlation_id
        where p.reference = $1 order by a.id`,
      [`${prefix}PAY-X01`],
    );
    // Parked on arrival (waiting for its invoice, and maybe first for its customer), released, then taken
    // through the whole pipeline; never rejected.
    expect(rows[0]?.stage).toBe('PARKED');
    expect(rows[rows.length - 1]?.stage).toBe('APPLIED');
    const stages = rows.flatMap((r) => r.stages);
    expect(stages.slice(0, 3)).toEqual(['RECEIVED', 'TRANSFORMED', 'PARKED']);
    expect(stages.slice(-5)).toEqual(['RELEASED', 'RECEIVED', 'TRANSFORMED', 'VALIDATED', 'APPLIED']);
    expect(stages).not.toContain('REJECTED');
    const invoice = await pool.query<{ status: string; balance: string }>(
      `select i.status, i.balance::text from invoice i join payment_allocation a on a.invoice_id = i.id join payment p on p.id = a.payment_id where p.reference = $1`,
      [`${prefix}PAY-X01`],
    );
    expect(invoice.rows[0]?.status).toMatch(/^(PAID|PARTIALLY_PAID)$/);
    // This run's payments only: other work on the machine writes billing rows to the same topics meanwhile.
    const parked = await pool.query(
      `select 1 from parked_event where source_table = 'billing.payment' and event->'after'->>'reference' like $1 || '%'`,
      [prefix],
    );
    expect(parked.rowCount).toBe(0);
  });

  it('holds every clean billing invoice and payroll journal with the control totals of the source, per currency', async () => {
    const totals = async (sql: string) => {
      const { rows } = await pool.query<{ currency: string; n: number; total: string }>(sql, [prefix]);
      return Object.fromEntries(
        rows.map((r) => [r.currency.trim(), { count: r.n, total: new Decimal(r.total).toFixed(2) }]),
      );
    };
    const expectControls = (table: string) =>
      Object.fromEntries(
        Object.entries(manifest.controls[table]!.byCurrency).map(([cur, c]) => [
          cur,
          { count: c.count, total: c.total },
        ]),
      );
    expect(
      await totals(`select currency, count(*)::int as n, sum(total_amount)::text as total from invoice
                     where type = 'ACCOUNTS_RECEIVABLE' and not is_credit_note and number like $1 || '%' group by currency`),
    ).toEqual(expectControls('billing.invoice'));
    expect(
      await totals(`select l.currency, count(distinct j.id)::int as n, sum(l.debit)::text as total from journal_entry j
                      join journal_line l on l.journal_entry_id = j.id where j.number like $1 || '%' group by l.currency`),
    ).toEqual(expectControls('payroll.payroll_journal'));
    expect(
      await totals(
        `select currency, count(*)::int as n, sum(total_amount)::text as total from payment where reference like $1 || '%' group by currency`,
      ),
    ).toEqual(expectControls('billing.payment'));
  });

  it('holds the clean supplier invoices exactly, plus the one whose only fault is a line (its line is the exception)', async () => {
    const { rows } = await pool.query<{ number: string; total: string; currency: string }>(
      `select number, total_amount::text as total, currency from invoice where type = 'ACCOUNTS_PAYABLE' and number like $1 || '%'`,
      [prefix],
    );
    const lineFault = manifest.anomalies.find((a) => a.kind === 'UNKNOWN_DIMENSION')!.records[0]!.key.number;
    const clean = manifest.controls['procurement.supplier_invoice']!;
    expect(rows.length).toBe(clean.count + 1);
    expect(rows.map((r) => r.number)).toContain(lineFault);
    for (const [currency, control] of Object.entries(clean.byCurrency)) {
      const sum = rows
        .filter((r) => r.currency.trim() === currency && r.number !== lineFault)
        .reduce((s, r) => s.plus(r.total), new Decimal(0));
      expect(sum.toFixed(2)).toBe(control.total);
    }
  });

  it('builds one golden vendor per clean supplier, from procurement and the ERP, and one customer per billing customer', async () => {
    // Each clean supplier's vendor also carries the references of its Tryton party: one record for both systems.
    const vendors = await pool.query<{ n: number; live: number; versions: string[]; systems: string[] }>(
      `select count(*)::int as n, count(*) filter (where v.merged_into_id is null)::int as live,
              array_agg(distinct v.mapping_version order by v.mapping_version) as versions,
              array(select distinct e.system || ' ' || e.source_table from source_reference e
                     join source_reference p2 on p2.canonical_id = e.canonical_id
                    where p2.object_type = 'VENDOR' and p2.source_id like $1 || '%' order by 1) as systems
         from vendor v
         join source_reference r on r.canonical_id = v.id and r.object_type = 'VENDOR' where r.source_id like $1 || '%'`,
      [prefix],
    );
    const suppliers = manifest.controls['procurement.supplier']!.count;
    expect(vendors.rows[0]).toMatchObject({
      n: suppliers,
      live: suppliers,
      systems: ['erp public.party_identifier', 'erp public.party_party', 'procurement public.supplier'],
    });
    for (const v of vendors.rows[0]!.versions) expect(['erp.party_party@3', 'procurement.supplier@2']).toContain(v);
    const merged = await pool.query<{ n: number }>(
      `select count(distinct e.canonical_id)::int as n from source_reference e join source_reference p
          on p.canonical_id = e.canonical_id and p.object_type = 'VENDOR' and p.source_id like $1 || '%'
        where e.system = 'erp' and e.source_table = 'public.party_party'`,
      [prefix],
    );
    expect(merged.rows[0]!.n).toBe(suppliers);
    const customers = await pool.query<{ n: number }>(
      `select count(*)::int as n from customer c join source_reference r on r.canonical_id = c.id and r.object_type = 'CUSTOMER' where r.source_id like $1 || '%'`,
      [prefix],
    );
    expect(customers.rows[0]!.n).toBe(manifest.controls['billing.customer']!.count);
  });

  it('publishes nothing twice and leaves no event unaccounted: every outbox row is published', async () => {
    await waitFor(
      async () => (await pool.query(`select 1 from outbox where published_at is null limit 1`)).rowCount === 0,
      30_000,
      'the outbox relay',
    );
    const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from outbox`);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
