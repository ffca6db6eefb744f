/**
 * The canonical schema on a real PostgreSQL: the migrations apply to an empty database, a second run is a
 * no-op, and every status vocabulary in SQL CHECK constraints is exactly the one the TypeScript model declares.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { ENUMS } from '../../canonical-schema/model/enums';
import { MONEY_COLUMN, QUANTITY_COLUMN } from '../../canonical-schema/money/storeLimits';
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
    expect(files.length).toBeGreaterThanOrEqual(13);
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

  it('stores money as NUMERIC wide enough for every source amount, never as a float', async () => {
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      numeric_precision: number | null;
      numeric_scale: number | null;
    }>(
      `select table_name, column_name, data_type, numeric_precision, numeric_scale from information_schema.columns
        where table_schema = 'public' and (column_name in ('amount', 'balance', 'debit', 'credit', 'unit_price', 'quantity') or column_name like 'total%' or column_name = 'sub_total')`,
    );
    // The types the validation rule AMOUNTS_FIT_STORE holds amounts to (canonical-schema/money/storeLimits.ts).
    const money = `numeric(${MONEY_COLUMN.precision},${MONEY_COLUMN.scale})`;
    const quantity = `numeric(${QUANTITY_COLUMN.precision},${QUANTITY_COLUMN.scale})`;
    expect(
      rows
        .map((r) => `${r.table_name}.${r.column_name}:${r.data_type}(${r.numeric_precision},${r.numeric_scale})`)
        .sort(),
    ).toEqual([
      `erp_invoice.total_amount:${money}`,
      `erp_invoice_line.amount:${money}`,
      `erp_invoice_line.quantity:${quantity}`,
      `erp_invoice_line.unit_price:${money}`,
      `erp_invoice_tax.amount:${money}`,
      `erp_payment.amount:${money}`,
      `flow_document.amount:${money}`,
      `invoice.balance:${money}`,
      `invoice.sub_total:${money}`,
      `invoice.total_amount:${money}`,
      `invoice.total_tax_amount:${money}`,
      `invoice_line.quantity:${quantity}`,
      `invoice_line.total_amount:${money}`,
      `invoice_line.unit_price:${money}`,
      `journal_line.credit:${money}`,
      `journal_line.debit:${money}`,
      `payment.total_amount:${money}`,
      `payment_allocation.amount:${money}`,
      `posting.amount:${money}`,
    ]);
    // The largest source amount, summed many times, stays exact in the store's type.
    const { rows: sums } = await client.query<{ total: string }>(
      `select (sum(a) :: ${money})::text as total from (select 9999999999999999.99::${money} as a from generate_series(1, 1000)) s`,
    );
    expect(sums[0]!.total).toBe('9999999999999999990.0000');
  });
});
