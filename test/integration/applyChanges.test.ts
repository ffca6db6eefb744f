/**
 * The set-based apply (cdc/pipeline/applyChanges) on a real canonical database, without Kafka: hand-built
 * change events of the procurement source, several of them about the same rows in one batch, in the orders
 * that a backlog produces. Each batch runs in one transaction, as the pipeline runs it.
 */
import { Pool, type PoolClient } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadReferenceData } from '../../canonical-schema/reference/loadReferenceData';
import { loadReferenceCache } from '../../cdc/apply/loadReferenceCache';
import type { FieldValue, RowChange, RowImage } from '../../cdc/envelope/ChangeEvent';
import { loadMappingRules } from '../../cdc/mapping/loadMappingRules';
import { applyChanges, type ApplyContext, type Applied } from '../../cdc/pipeline/applyChanges';
import { planChange } from '../../cdc/pipeline/planChange';
import { retryRequestedExceptions } from '../../cdc/pipeline/retryRequestedExceptions';
import { loadValidationRules } from '../../cdc/validation/validate';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';

const mappingRules = loadMappingRules();
const validationRules = loadValidationRules();

let lsn = 1_000_000;
/** A procurement change event at the next WAL position. */
function change(table: string, op: RowChange['op'], image: RowImage): RowChange {
  lsn += 100;
  return {
    kind: 'change',
    topic: `procurement.public.${table}`,
    partition: 0,
    offset: String(lsn),
    op,
    key: null,
    before: op === 'delete' ? image : null,
    after: op === 'delete' ? null : image,
    source: {
      connector: 'postgresql',
      system: 'procurement',
      database: 'procurement',
      schema: 'public',
      table,
      snapshot: false,
      committedAt: '2026-03-01T10:00:00.000Z',
      position: { kind: 'wal', commitLsn: String(lsn), changeLsn: String(lsn), txId: null },
    },
  };
}

/** Names unlike each other (trigram similarity well below the duplicate threshold). */
const NAMES: Readonly<Record<string, string>> = {
  'SUP-1': 'Nordlicht Buerotechnik GmbH',
  'SUP-20': 'Alpenblick Logistik AG',
  'SUP-21': 'Quite Different Name Ltd',
};
const supplier = (code: string, over: Readonly<Record<string, FieldValue>> = {}): RowImage => ({
  supplier_code: code,
  legal_entity: 'FS-EU',
  legal_name: NAMES[code] ?? code,
  tax_id: `DE${code.replace(/\D/g, '').padStart(9, '7')}`,
  iban: null,
  email: null,
  currency: 'EUR',
  onboarding_status: 'APPROVED',
  ...over,
});
const invoice = (id: number, supplierCode: string, over: Readonly<Record<string, FieldValue>> = {}): RowImage => ({
  id,
  legal_entity: 'FS-EU',
  supplier_ref: supplierCode,
  number: `PI-${id}`,
  invoice_date: '2026-03-01',
  due_date: '2026-03-31',
  currency: 'EUR',
  amount: '119.00',
  tax_amount: '19.00',
  status: 'APPROVED',
  po_number: null,
  ...over,
});
const line = (id: number, invoiceId: number, over: Readonly<Record<string, FieldValue>> = {}): RowImage => ({
  id,
  supplier_invoice_id: invoiceId,
  line_no: 1,
  description: 'Toner',
  quantity: '2',
  unit_price: '50.00',
  amount: '100.00',
  account_code: '6300',
  tax_code: 'VAT19',
  cost_center: 'CC-100',
  ...over,
});

describe('applyChanges: one batch, set-based, several changes of the same rows', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let ctx: ApplyContext;

  /** Runs one batch in one transaction, as the pipeline does. */
  const batch = async (events: RowChange[]): Promise<Applied> => {
    const client: PoolClient = await pool.connect();
    try {
      await client.query('begin');
      const applied = await applyChanges(
        client,
        ctx,
        events.map((e) => planChange(e, mappingRules, ctx.reference.translations)),
      );
      await client.query('commit');
      return applied;
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
  };
  const one = async <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) =>
    (await pool.query<T>(sql, values)).rows;

  beforeAll(async () => {
    db = await scratchDatabase('apply');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    await loadReferenceData(pool);
    ctx = { mappingRules, validationRules, reference: await loadReferenceCache(pool) };
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('applies a line that arrives before its invoice in the same batch, after parking it for one round', async () => {
    const applied = await batch([
      change('supplier_invoice_line', 'create', line(11, 1)),
      change('supplier', 'create', supplier('SUP-1')),
      change('supplier_invoice', 'create', invoice(1, 'SUP-1')),
    ]);
    expect(applied.outcomes).toEqual(['PARKED', 'APPLIED', 'APPLIED']);
    const lines = await one<{ total_amount: string; number: string; cost_center: string }>(
      `select l.total_amount::text, i.number, l.dimensions->>'COST_CENTER' as cost_center
         from invoice_line l join invoice i on i.id = l.invoice_id`,
    );
    expect(lines).toEqual([{ total_amount: '100.0000', number: 'PI-1', cost_center: 'CC-100' }]);
    expect(await one(`select * from parked_event`)).toEqual([]);
    // One audit row per pass: parked on arrival, then released and applied, each listing its stages.
    const trail = applied.trail.filter((t) => t.source?.table === 'public.supplier_invoice_line');
    expect(trail.map((t) => t.stage)).toEqual(['PARKED', 'APPLIED']);
    expect(trail.flatMap((t) => t.detail?.stages as string[])).toEqual([
      'RECEIVED',
      'TRANSFORMED',
      'PARKED',
      'RELEASED',
      'RECEIVED',
      'TRANSFORMED',
      'VALIDATED',
      'APPLIED',
    ]);
  });

  it('collapses a create and two updates of one invoice into one row at version 3, announcing each change', async () => {
    const applied = await batch([
      change('supplier_invoice', 'create', invoice(2, 'SUP-1', { status: 'RECEIVED' })),
      change('supplier_invoice', 'update', invoice(2, 'SUP-1', { status: 'APPROVED' })),
      change(
        'supplier_invoice',
        'update',
        invoice(2, 'SUP-1', { status: 'APPROVED', amount: '238.00', tax_amount: '38.00' }),
      ),
    ]);
    expect(applied.outcomes).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);
    const rows = await one<{ version: number; status: string; total_amount: string; balance: string }>(
      `select version, status, total_amount::text, balance::text from invoice where number = 'PI-2'`,
    );
    expect(rows).toEqual([{ version: 3, status: 'OPEN', total_amount: '238.0000', balance: '238.0000' }]);
    expect(applied.events.map((e) => [e.oldStatus, e.newStatus])).toEqual([
      [null, 'SUBMITTED'],
      ['SUBMITTED', 'OPEN'],
      ['OPEN', 'OPEN'],
    ]);
  });

  it('flags a second supplier with the same tax id in the same batch as a duplicate, and creates only one vendor', async () => {
    const applied = await batch([
      change('supplier', 'create', supplier('SUP-20', { tax_id: 'DE999000111' })),
      change('supplier', 'create', supplier('SUP-21', { tax_id: 'DE999000111' })),
    ]);
    expect(applied.outcomes).toEqual(['APPLIED', 'REJECTED']);
    expect(await one(`select name from vendor where tax_id = 'DE999000111'`)).toEqual([
      { name: 'Alpenblick Logistik AG' },
    ]);
    const [exception] = await one<{ code: string; message: string; status: string }>(
      `select code, message, status from exception where source_id = 'SUP-21'`,
    );
    expect(exception).toEqual({
      code: 'DUPLICATE_VENDOR',
      status: 'OPEN',
      message: expect.stringMatching(
        /SUP-21.* looks like vendor Alpenblick Logistik AG, already known with the same tax id DE999000111/,
      ),
    });
  });

  it('rejects a second invoice with the same number in the same batch', async () => {
    const applied = await batch([
      change('supplier_invoice', 'create', invoice(30, 'SUP-1', { number: 'PI-DUP' })),
      change('supplier_invoice', 'create', invoice(31, 'SUP-1', { number: 'PI-DUP' })),
    ]);
    expect(applied.outcomes).toEqual(['APPLIED', 'REJECTED']);
    const rows = await one<{ code: string; message: string }>(
      `select code, message from exception where source_id = '31'`,
    );
    expect(rows).toEqual([
      {
        code: 'DUPLICATE_INVOICE',
        message: expect.stringContaining(
          'repeats invoice number PI-DUP, already used in fiscal year 2026 (source id 30)',
        ),
      },
    ]);
  });

  it('resolves what a broken change raised when a later change of the row in the same batch is clean', async () => {
    const applied = await batch([
      change('supplier_invoice_line', 'create', line(40, 1, { line_no: 2, cost_center: 'CC-999' })),
      change('supplier_invoice_line', 'update', line(40, 1, { line_no: 2, cost_center: 'CC-200' })),
    ]);
    expect(applied.outcomes).toEqual(['REJECTED', 'APPLIED']);
    expect(await one(`select code from exception where source_id = '40'`)).toEqual([]);
    expect(await one(`select dimensions->>'COST_CENTER' as cc from invoice_line where line_number = 2`)).toEqual([
      { cc: 'CC-200' },
    ]);
  });

  it('settles the invoice its payment-less update reopens, and skips a replayed batch entirely', async () => {
    const replayed = [change('supplier_invoice', 'update', invoice(2, 'SUP-1', { status: 'PAID' }))];
    const first = await batch(replayed);
    expect(first.outcomes).toEqual(['APPLIED']);
    // The source says PAID but no payment covers it: settlement opens it again and the event says so.
    expect(first.events.map((e) => [e.oldStatus, e.newStatus])).toEqual([['OPEN', 'OPEN']]);
    const before = await one(`select * from invoice order by id`);
    const again = await batch(replayed);
    expect(again.outcomes).toEqual(['SKIPPED']);
    expect(again.events).toEqual([]);
    expect(await one(`select * from invoice order by id`)).toEqual(before);
  });

  it('flags an invoice deleted at its source and drops a line deleted at its source', async () => {
    const applied = await batch([
      change('supplier_invoice_line', 'delete', line(40, 1, { line_no: 2, cost_center: 'CC-200' })),
      change('supplier_invoice', 'delete', invoice(30, 'SUP-1', { number: 'PI-DUP' })),
      change('supplier_invoice', 'delete', invoice(99, 'SUP-1')),
    ]);
    expect(applied.outcomes).toEqual(['APPLIED', 'APPLIED', 'IGNORED']);
    expect(await one(`select count(*)::int as n from invoice_line where line_number = 2`)).toEqual([{ n: 0 }]);
    expect(await one(`select deleted_at_source, version from invoice where number = 'PI-DUP'`)).toEqual([
      { deleted_at_source: true, version: 2 },
    ]);
  });

  it('carries out a retry a person asked for once the cause is fixed, and records how it ended', async () => {
    const rejected = await batch([
      change('supplier_invoice_line', 'create', line(50, 1, { line_no: 3, cost_center: 'CC-777' })),
    ]);
    expect(rejected.outcomes).toEqual(['REJECTED']);
    const [exception] = await one<{ id: string; code: string }>(
      `select id, code from exception where source_id = '50'`,
    );
    expect(exception!.code).toBe('UNKNOWN_DIMENSION');
    // Finance adds the cost center, then asks for a retry (what the retryException mutation records).
    await pool.query(
      `insert into dimension (legal_entity_id, type, code, name) values ('FS-EU', 'COST_CENTER', 'CC-777', 'Labs')`,
    );
    ctx = { ...ctx, reference: await loadReferenceCache(pool) };
    await pool.query(
      `insert into exception_action (exception_id, action, reason, actor, correlation_id, status_before, status_after)
       values ($1, 'RETRY', 'cost center CC-777 added to the chart', 'controller@finsync.test', 'test', 'OPEN', 'OPEN')`,
      [exception!.id],
    );
    const client = await pool.connect();
    try {
      expect(await retryRequestedExceptions(client, ctx)).toBe(1);
      expect(await retryRequestedExceptions(client, ctx)).toBe(0);
    } finally {
      client.release();
    }
    expect(await one(`select status from exception where id = $1`, [exception!.id])).toEqual([{ status: 'RESOLVED' }]);
    expect(await one(`select outcome, processed_at is not null as done from exception_action`)).toEqual([
      { outcome: 'APPLIED', done: true },
    ]);
    expect(await one(`select dimensions->>'COST_CENTER' as cc from invoice_line where line_number = 3`)).toEqual([
      { cc: 'CC-777' },
    ]);
  });

  it("carries out a steward's SAME decision on a duplicate supplier: it joins the vendor, and later changes keep its identity", async () => {
    // SUP-21 was refused above as a duplicate of SUP-20 (the same tax id); a steward says they are the same company.
    const [exception] = await one<{ id: string; canonical_id: string }>(
      `select id, canonical_id from exception where source_id = 'SUP-21' and code = 'DUPLICATE_VENDOR'`,
    );
    await pool.query(
      `insert into vendor_match_decision (source_system, source_table, source_id, existing_vendor_id, decision,
                                          exception_id, decided_by, reason, correlation_id)
       values ('procurement', 'public.supplier', 'SUP-21', $2, 'SAME', $1, 'steward@finsync.test', 'one company', 'test')`,
      [exception!.id, exception!.canonical_id],
    );
    await pool.query(
      `insert into exception_action (exception_id, action, reason, actor, correlation_id, status_before, status_after)
       values ($1, 'SAME_VENDOR', 'one company', 'steward@finsync.test', 'test', 'OPEN', 'OPEN')`,
      [exception!.id],
    );
    const client = await pool.connect();
    try {
      expect(await retryRequestedExceptions(client, ctx)).toBe(1);
    } finally {
      client.release();
    }
    expect(await one(`select status, resolution_reason from exception where id = $1`, [exception!.id])).toEqual([
      {
        status: 'RESOLVED',
        resolution_reason: 'Same vendor: the supplier joined the existing golden record (data steward: one company)',
      },
    ]);
    const joined = `select r.source_id, v.name, v.email from source_reference r join vendor v on v.id = r.canonical_id
                     where r.source_id in ('SUP-20', 'SUP-21') order by r.source_id`;
    expect(await one(joined)).toEqual([
      { source_id: 'SUP-20', name: 'Alpenblick Logistik AG', email: null },
      { source_id: 'SUP-21', name: 'Alpenblick Logistik AG', email: null },
    ]);
    // A later change of the joined supplier moves its reference on, but does not rewrite the golden record.
    const later = await batch([
      change('supplier', 'update', supplier('SUP-21', { tax_id: 'DE999000111', email: 'ap@renamed.example' })),
    ]);
    expect(later.outcomes).toEqual(['APPLIED']);
    expect(await one(joined)).toEqual([
      { source_id: 'SUP-20', name: 'Alpenblick Logistik AG', email: null },
      { source_id: 'SUP-21', name: 'Alpenblick Logistik AG', email: null },
    ]);
  });
});
