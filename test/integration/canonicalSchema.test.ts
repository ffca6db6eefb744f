/**
 * The canonical schema on a real PostgreSQL: the migrations apply to an empty database, a second run is a
 * no-op, and every status vocabulary in SQL CHECK constraints is exactly the one the TypeScript model declares.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { ENUMS } from '../../canonical-schema/model/enums';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';

describe('canonical schema migrations', () => {
  let db: ScratchDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await scratchDatabase('schema');
    await migrateCanonicalSchema(db.url);
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('records every migration once, and a second run changes nothing', async () => {
    const before = await client.query<{ name: string }>('select name from pgmigrations order by id');
    // Every file in the migrations folder, in file-name order, recorded exactly once.
    const files = readdirSync(join(__dirname, '..', '..', 'canonical-schema', 'migrations'))
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.replace(/\.sql$/, ''))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(files[0]).toBe('1795600000000_canonical-model');
    expect(before.rows.map((r) => r.name)).toEqual(files);
    expect(await migrateCanonicalSchema(db.url)).toContain('No migrations to run');
    const after = await client.query('select count(*)::int as n from pgmigrations');
    expect(after.rows[0].n).toBe(before.rows.length);
  });

  it.each(Object.entries(ENUMS))('%s allows exactly the values of the TypeScript model', async (column, values) => {
    const [table, field] = column.split('.');
    const { rows } = await client.query<{ def: string }>(
      `select pg_get_constraintdef(c.oid) as def
         from pg_constraint c join pg_class t on t.oid = c.conrelid
        where t.relname = $1 and c.contype = 'c' and pg_get_constraintdef(c.oid) ~ ('[^a-z_]' || $2 || ' = ANY')`,
      [table, field],
    );
    expect(rows).toHaveLength(1);
    const allowed = [...rows[0]!.def.matchAll(/'([A-Z_]+)'::text/g)].map((m) => m[1]);
    expect(allowed).toEqual([...values]);
  });

  it('stores money as NUMERIC, never as a float', async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public' and (column_name in ('amount', 'balance', 'debit', 'credit', 'unit_price') or column_name like 'total%' or column_name = 'sub_total')`,
    );
    expect(rows.map((r) => `${r.table_name}.${r.column_name}:${r.data_type}`).sort()).toEqual([
      'invoice.balance:numeric',
      'invoice.sub_total:numeric',
      'invoice.total_amount:numeric',
      'invoice.total_tax_amount:numeric',
      'invoice_line.total_amount:numeric',
      'invoice_line.unit_price:numeric',
      'journal_line.credit:numeric',
      'journal_line.debit:numeric',
      'payment.total_amount:numeric',
      'payment_allocation.amount:numeric',
      'posting.amount:numeric',
    ]);
  });
});
