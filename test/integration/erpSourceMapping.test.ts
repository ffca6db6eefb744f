/**
 * The ERP (Tryton) as a CDC source, on a real canonical database: change events shaped like Debezium's for
 * Tryton's tables (party_party, party_identifier, account_account, account_period, account_move,
 * account_move_line) go through the mapping rules `cdc/mapping/rules/erp.*.json` and the set-based apply.
 * The end-to-end path from Tryton itself is covered by the posting tests.
 */
import { Pool, type PoolClient } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadReferenceData } from '../../canonical-schema/reference/loadReferenceData';
import { loadReferenceCache } from '../../cdc/apply/loadReferenceCache';
import type { FieldValue, RowChange, RowImage } from '../../cdc/envelope/ChangeEvent';
import { loadMappingRules } from '../../cdc/mapping/loadMappingRules';
import { applyChanges, type ApplyContext, type Applied } from '../../cdc/pipeline/applyChanges';
import { planChange } from '../../cdc/pipeline/planChange';
import { loadValidationRules } from '../../cdc/validation/validate';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';

const mappingRules = loadMappingRules();
const validationRules = loadValidationRules();

let lsn = 5_000_000;
function change(system: 'erp' | 'procurement', table: string, op: RowChange['op'], image: RowImage): RowChange {
  lsn += 100;
  return {
    kind: 'change',
    topic: `${system}.public.${table}`,
    partition: 0,
    offset: String(lsn),
    op,
    key: null,
    before: op === 'delete' ? image : null,
    after: op === 'delete' ? null : image,
    source: {
      connector: 'postgresql',
      system,
      database: system === 'erp' ? 'finsync_erp' : system,
      schema: 'public',
      table,
      snapshot: false,
      committedAt: '2026-04-01T08:00:00.000Z',
      position: { kind: 'wal', commitLsn: String(lsn), changeLsn: String(lsn), txId: null },
    },
  };
}

const party = (id: number, name: string, over: Readonly<Record<string, FieldValue>> = {}): RowImage => ({
  id,
  name,
  code: String(id),
  active: true,
  replaced_by: null,
  ...over,
});
const identifier = (id: number, partyId: number, code: string): RowImage => ({
  id,
  party: partyId,
  code,
  type: 'eu_vat',
  sequence: null,
});
const supplier = (code: string, name: string, taxId: string): RowImage => ({
  supplier_code: code,
  legal_entity: 'FS-EU',
  legal_name: name,
  tax_id: taxId,
  iban: 'DE02120300000000202051',
  email: 'ap@example.test',
  currency: 'EUR',
  onboarding_status: 'APPROVED',
});

describe('the ERP as a source: parties join the golden record, chart and periods follow it, moves are journals', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let ctx: ApplyContext;

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
      if (applied.referenceChanged) ctx = { ...ctx, reference: await loadReferenceCache(pool) };
      return applied;
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
  };
  const rows = async <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) =>
    (await pool.query<T>(sql, values)).rows;

  beforeAll(async () => {
    db = await scratchDatabase('erpsource');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    await loadReferenceData(pool);
    ctx = { mappingRules, validationRules, reference: await loadReferenceCache(pool) };
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('leaves out the party of our own company', async () => {
    const applied = await batch([change('erp', 'party_party', 'read', party(1, 'Finsync Demo Ltd'))]);
    expect(applied.outcomes).toEqual(['IGNORED']);
    expect(await rows(`select name from vendor`)).toEqual([]);
  });

  it('merges an ERP party into the procurement vendor with the same tax id once its identifier arrives', async () => {
    // Procurement knows the supplier with its tax id; the ERP party arrives first without one (its tax
    // identifier is a row of its own), so it only looks alike by name: created, with a warning.
    await batch([
      change('procurement', 'supplier', 'create', supplier('SUP-7', 'Krippner Reisedienst KG', 'DE191000001')),
    ]);
    const first = await batch([change('erp', 'party_party', 'create', party(7, 'Krippner Reisedienst KG'))]);
    expect(first.outcomes).toEqual(['APPLIED']);
    expect(await rows(`select code, severity, status from exception order by code`)).toEqual([
      { code: 'POSSIBLE_DUPLICATE_VENDOR', severity: 'WARNING', status: 'OPEN' },
    ]);

    const second = await batch([change('erp', 'party_identifier', 'create', identifier(70, 7, 'de191000001'))]);
    expect(second.outcomes).toEqual(['APPLIED']);
    const live = await rows<{ name: string; tax_id: string; iban: string; systems: string[] }>(
      `select v.name, v.tax_id, v.iban,
              array(select distinct r.system || ' ' || r.source_table from source_reference r
                     where r.canonical_id = v.id and r.object_type = 'VENDOR' order by 1) as systems
         from vendor v where v.merged_into_id is null`,
    );
    expect(live).toEqual([
      {
        name: 'Krippner Reisedienst KG',
        tax_id: 'DE191000001',
        iban: 'DE02120300000000202051',
        systems: ['erp public.party_identifier', 'erp public.party_party', 'procurement public.supplier'],
      },
    ]);
    expect(await rows(`select count(*)::int as n from vendor where merged_into_id is not null`)).toEqual([{ n: 1 }]);
    expect(await rows(`select code, status, resolution_reason from exception`)).toEqual([
      {
        code: 'POSSIBLE_DUPLICATE_VENDOR',
        status: 'RESOLVED',
        resolution_reason: 'Merged: the same tax id showed both records are the same company',
      },
    ]);
    expect(second.events.map((e) => e.eventType)).toContain('VENDOR_MERGED');

    // A later change of the party (renamed, deactivated in the ERP) updates the surviving golden record and
    // keeps the tax id and IBAN that the ERP party row does not hold.
    await batch([change('erp', 'party_party', 'update', party(7, 'Krippner Reisedienst GmbH', { active: false }))]);
    expect(await rows(`select name, status, tax_id, iban from vendor where merged_into_id is null`)).toEqual([
      { name: 'Krippner Reisedienst GmbH', status: 'INACTIVE', tax_id: 'DE191000001', iban: 'DE02120300000000202051' },
    ]);
  });

  it('closes a period that the ERP closed, and validates the next documents against it', async () => {
    const period = {
      id: 30,
      fiscalyear: 2,
      name: '2026-03',
      start_date: '2026-03-01',
      end_date: '2026-03-31',
      state: 'close',
      type: 'standard',
      post_move_sequence: null,
    };
    const applied = await batch([change('erp', 'account_period', 'update', period)]);
    expect(applied.outcomes).toEqual(['APPLIED']);
    expect(
      await rows(
        `select status from accounting_period where legal_entity_id = 'FS-EU' and fiscal_year = 2026 and period_number = 3`,
      ),
    ).toEqual([{ status: 'CLOSED' }]);
    expect(ctx.reference.period('FS-EU', '2026-03-15')?.status).toBe('CLOSED');
  });

  it('keeps the chart in step by code, and refuses an ERP account finsync has no type for', async () => {
    const account = (id: number, code: string | null, name: string, closed: boolean): RowImage => ({
      id,
      code,
      name,
      closed,
      type: 16,
      company: 1,
      party_required: false,
    });
    const applied = await batch([
      change('erp', 'account_account', 'read', account(3, null, 'Main Expense', false)),
      change('erp', 'account_account', 'read', account(20, '6900', 'Legacy expenses', true)),
      change('erp', 'account_account', 'read', account(21, '6950', 'Brand new expenses', false)),
      change('erp', 'account_account', 'read', account(18, '6300', 'Software', false)),
    ]);
    expect(applied.outcomes).toEqual(['IGNORED', 'APPLIED', 'REJECTED', 'APPLIED']);
    expect(
      await rows(
        `select code, status from account where legal_entity_id = 'FS-EU' and code in ('6900', '6950', '6300') order by code`,
      ),
    ).toEqual([
      { code: '6300', status: 'ACTIVE' },
      { code: '6900', status: 'INACTIVE' },
    ]);
    expect(await rows(`select message from exception where code = 'UNKNOWN_ACCOUNT'`)).toEqual([
      { message: expect.stringContaining('has no account 6950') },
    ]);
  });

  it('turns a posted move and its lines into a journal entry, lines first or not', async () => {
    const move = {
      id: 155,
      company: 1,
      date: '2026-04-18',
      description: 'finsync:9904ad54-1cbd-4b24-9d42-d3eeeb2cf32f ACC-1 · accrual',
      journal: 5,
      number: '155',
      origin: null,
      period: 23,
      post_date: '2026-04-18',
      post_number: '126',
      state: 'posted',
    };
    const line = (id: number, account: number, debit: string, credit: string): RowImage => ({
      id,
      move: 155,
      account,
      debit,
      credit,
      description: 'travel accrual',
      party: null,
      state: 'valid',
      amount_second_currency: null,
      second_currency: null,
      maturity_date: null,
      origin: null,
      reconciliation: null,
    });
    const applied = await batch([
      change('erp', 'account_move_line', 'create', line(315, 18, '42.10', '0')),
      change('erp', 'account_move', 'create', move),
      change('erp', 'account_move_line', 'create', line(316, 20, '0', '42.10')),
    ]);
    // Line 315 waited for its move (and its account, 18, applied above), released in the next round.
    expect(applied.outcomes).toEqual(['PARKED', 'APPLIED', 'APPLIED']);
    const entries = await rows<Record<string, unknown>>(
      `select j.number, j.posting_status, j.journal_type, j.currency, j.memo, j.source_document_type,
              array(select l.account_code || ' ' || l.debit::text || '/' || l.credit::text from journal_line l
                     where l.journal_entry_id = j.id order by l.line_number) as lines
         from journal_entry j`,
    );
    expect(entries).toEqual([
      {
        number: '126',
        posting_status: 'POSTED',
        journal_type: 'GENERAL',
        currency: 'EUR',
        memo: move.description,
        source_document_type: 'ERP_MOVE',
        lines: ['6300 42.1000/0.0000', '6900 0.0000/42.1000'],
      },
    ]);
  });
});
