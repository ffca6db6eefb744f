import type { RowChange } from '../envelope/ChangeEvent';
import { loadMappingRules } from '../mapping/loadMappingRules';
import { applyFailedException, describeCause } from './applyFailedException';
import { planChange } from './planChange';

const change = (table: string, after: RowChange['after']): RowChange => ({
  kind: 'change',
  topic: `billing.billing.${table}`,
  partition: 0,
  offset: '1234',
  op: 'create',
  key: { id: 17 },
  before: null,
  after,
  source: {
    connector: 'mariadb',
    system: 'billing',
    database: 'billing',
    schema: null,
    table,
    snapshot: false,
    committedAt: '2026-03-01T10:00:00.000Z',
    position: { kind: 'binlog', file: 'mariadb-bin.000001', pos: 4, row: 0, gtid: null, serverId: 1 },
  },
});

describe('applyFailedException', () => {
  it('names the source row (system, table, id) and the record, besides the topic offset, and is keyed by the row', () => {
    const event = change('invoice', {
      id: 17,
      customer_code: 'C-1',
      number: 'INV-17',
      total: '10.00',
      subtotal: '10.00',
      tax_total: '0.00',
      currency: 'USD',
      issue_date: '2026-03-01',
      legal_entity: 'FS-US',
      status: 'issued',
    });
    const e = applyFailedException(
      planChange(event, loadMappingRules(), new Map()),
      new Error('numeric field overflow'),
    );
    expect(e).toMatchObject({
      code: 'APPLY_FAILED',
      objectType: 'INVOICE',
      legalEntityId: 'FS-US',
      source: { system: 'billing', table: 'billing.invoice', sourceId: '17' },
      message:
        'Invoice INV-17 (billing billing.invoice 17): its create could not be applied (billing table billing.invoice, source id 17; topic billing.billing.invoice, partition 0, offset 1234): numeric field overflow. Nothing of it was written; retry it once the cause is fixed.',
    });
    // Two failing changes of one row are two work items; the same change redelivered is the same one.
    expect(e.fingerprint).toContain('|1234');
  });

  it('falls back to the topic offset for a change no mapping rule turns into a row', () => {
    const e = applyFailedException(
      planChange(change('no_such_table', { id: 17 }), loadMappingRules(), new Map()),
      new Error('boom'),
    );
    expect(e.source).toEqual({
      system: 'billing',
      table: 'billing.no_such_table',
      sourceId: 'billing.billing.no_such_table:0:1234',
    });
    expect(e.message).toMatch(
      /^A change from billing table billing.no_such_table \(topic .*offset 1234\) could not be applied: boom\./,
    );
  });

  it('names the field and the value a foreign key found nothing for', () => {
    const err = Object.assign(
      new Error('insert or update on table "vendor" violates foreign key constraint "vendor_legal_entity_id_fkey"'),
      {
        code: '23503',
        detail: 'Key (legal_entity_id)=(NOT-AN-ENTITY) is not present in table "legal_entity".',
      },
    );
    expect(describeCause(err)).toMatch(
      /^field legal_entity_id is "NOT-AN-ENTITY", which is not a known legal entity \(/,
    );
  });
});
