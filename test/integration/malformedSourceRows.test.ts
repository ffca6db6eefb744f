/**
 * Malformed rows at a source (issue 16, item 5): what the source's schema lets through although finance cannot use it
 * — a wrong value where the column is plain text (a legal entity that does not exist, a currency that is not one), a
 * huge text, control characters, dates far out of range — becomes a readable exception naming the row, or is kept as
 * given when it is harmless; it never stops the stream: a well-formed supplier and invoice written after them apply.
 * Rows are written into the shared procurement source through Debezium (the real path), under a prefix of this run.
 */
import { Client, Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { changeTopicEnds, storeGroupOffsets } from '../support/changeTopicOffsets';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { stackEnv } from '../support/stackEnv';
import { waitFor } from '../support/waitFor';

const seed = Date.now() % 1_000_000;
const P = `M${seed}-`;
const CONTROL = 'Acme\u0001\u0007\u001b[31m Trading\u0008\u000b\u007f';
const HUGE = 'Huge Supplier '.repeat(20_000); // 280,000 characters

describe('malformed rows at a source become readable exceptions and never stop the stream', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let cdc: RunningCdc;

  beforeAll(async () => {
    db = await scratchDatabase('malformed');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    const groupId = `finsync-test-malformed-${seed}`;
    await storeGroupOffsets(pool, groupId, await changeTopicEnds());
    cdc = await startCdc({ ...loadCdcConfig({}), databaseUrl: db.url, groupId }, pino({ level: 'silent' }));
    await cdc.joined;

    const src = new Client({ ...stackEnv.procurementPg });
    await src.connect();
    try {
      const supplier = (code: string, name: string, le = 'FS-EU', currency = 'EUR', email = 'ap@example.test') =>
        src.query(
          `insert into supplier (supplier_code, legal_name, tax_id, iban, email, onboarding_status, currency, legal_entity, country)
           values ($1, $2, $3, null, $4, 'APPROVED', $5, $6, 'DE')`,
          [P + code, name, `DE${seed}${code.length}${code.charCodeAt(0)}`, email, currency, le],
        );
      const invoice = (supplierCode: string, number: string, date: string, due: string | null = null) =>
        src.query(
          `insert into supplier_invoice (supplier_ref, number, amount, currency, invoice_date, due_date, legal_entity, status)
           values ($1, $2, 100.00, 'EUR', $3, $4, 'FS-EU', 'APPROVED')`,
          [P + supplierCode, P + number, date, due],
        );
      await supplier('LE', 'Wrong Entity GmbH', 'NOT-AN-ENTITY');
      await supplier('CUR', 'Wrong Currency GmbH', 'FS-EU', 'X1Z');
      await supplier('CTL', CONTROL, 'FS-EU', 'EUR', 'ap\n@exa\u0000mple'.replace('\u0000', ''));
      await supplier('HUGE', HUGE);
      await supplier('OK', `Well Formed Supplier ${seed}`);
      await invoice('OK', 'FAR-PAST', '0001-01-01');
      await invoice('OK', 'FAR-FUTURE', '9999-12-31', '200000-01-01');
      await invoice('OK', 'GOOD', '2026-11-20', '2026-12-20');
    } finally {
      await src.end();
    }
    await waitFor(
      async () => {
        const { rows } = await pool.query(`select 1 from invoice where number = $1`, [`${P}GOOD`]);
        return rows.length === 1;
      },
      90_000,
      'the well-formed invoice written last to apply',
      500,
    );
  }, 150_000);

  afterAll(async () => {
    await cdc?.stop().catch(() => undefined);
    await pool?.end();
    await db?.drop();
  });

  /** The open exceptions that name a source row of this run, by code. */
  const exceptionsOf = async (sourceId: string) =>
    (
      await pool.query<{ code: string; message: string }>(
        `select code, message from exception
          where status = 'OPEN' and (message like '%' || $1 || '%' or source_event::text like '%' || $1 || '%')
          order by code`,
        [sourceId],
      )
    ).rows;
  const vendorNamed = async (code: string) =>
    (
      await pool.query<{ name: string }>(
        `select v.name from vendor v join source_reference r on r.canonical_id = v.id
          where r.system = 'procurement' and r.source_id = $1`,
        [P + code],
      )
    ).rows;

  it('keeps applying: the well-formed supplier and the invoice written after the malformed rows are in', async () => {
    expect(await vendorNamed('OK')).toEqual([{ name: `Well Formed Supplier ${seed}` }]);
    expect(cdc.stats.POISON).toBe(0);
  });

  it('turns a wrong value in a text column into an exception naming the row and the field', async () => {
    for (const [code, field] of [
      ['LE', /legal ?entity/i],
      ['CUR', /currency/i],
    ] as const) {
      const found = await exceptionsOf(P + code);
      expect(found.length).toBeGreaterThan(0);
      expect(found.map((e) => e.message).join(' | ')).toMatch(field);
      expect(found.map((e) => e.message).join(' | ')).toContain(P + code);
      expect(await vendorNamed(code)).toEqual([]);
    }
  });

  it('takes control characters and a huge text as data or as a readable exception, never a stopped stream', async () => {
    for (const code of ['CTL', 'HUGE']) {
      const vendors = await vendorNamed(code);
      const found = await exceptionsOf(P + code);
      // Either outcome is a decision the finance team can see; neither may be silent.
      expect(vendors.length + found.length).toBeGreaterThan(0);
      for (const e of found) expect(e.message).toContain(P + code);
    }
  });

  it('refuses invoice dates out of range with an exception naming the field, and applies nothing of them', async () => {
    for (const number of ['FAR-PAST', 'FAR-FUTURE']) {
      const { rows } = await pool.query(`select 1 from invoice where number = $1`, [P + number]);
      const found = await exceptionsOf(P + number);
      expect({ number, applied: rows.length, exceptions: found.length > 0 }).toEqual({
        number,
        applied: 0,
        exceptions: true,
      });
      expect(found.map((e) => e.message).join(' | ')).toMatch(/date/i);
    }
  });
});
