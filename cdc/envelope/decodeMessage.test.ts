import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChangeEvent, RowChange } from './ChangeEvent';
import { comparePositions } from './comparePositions';
import { decodeMessage, type RawMessage } from './decodeMessage';

/** Messages captured from the real connectors (Debezium 3.6.1 Postgres, 3.5.0 MariaDB) by this repo's stack. */
function fixture(name: string): RawMessage[] {
  const records = JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as Array<{
    topic: string;
    partition: number;
    offset: string;
    key: string | null;
    value: string | null;
  }>;
  return records.map((r) => ({
    ...r,
    key: r.key === null ? null : Buffer.from(r.key),
    value: r.value === null ? null : Buffer.from(r.value),
  }));
}

function decodeAll(messages: RawMessage[]): ChangeEvent[] {
  return messages.map((m) => {
    const result = decodeMessage(m);
    if (!result.ok) throw new Error(result.error.message);
    return result.event;
  });
}

const changes = (events: ChangeEvent[]): RowChange[] => events.filter((e): e is RowChange => e.kind === 'change');

describe('decodeMessage on Postgres (pgoutput) events', () => {
  const events = decodeAll(fixture('postgres-insert-update-delete.json'));

  it('recognises create, update, delete and the tombstone, in order', () => {
    expect(events.map((e) => (e.kind === 'change' ? e.op : 'tombstone'))).toEqual([
      'create',
      'update',
      'delete',
      'tombstone',
    ]);
  });

  it('keeps the decimal exact and turns dates and timestamps into ISO strings', () => {
    const [created] = changes(events);
    expect(created?.after).toEqual({
      id: 1,
      supplier_ref: 'SUP-1',
      number: 'PI-1',
      amount: '1234.50',
      currency: 'EUR',
      invoice_date: '2026-11-02',
      approved_at: '2026-11-03T09:00:00.000000Z',
      updated_at: expect.stringMatching(/^2026-11-\d\dT\d\d:\d\d:\d\d\.\d{6}$/),
    });
    expect(created?.before).toBeNull();
    expect(created?.key).toEqual({ id: 1 });
  });

  it('gives the update both images and the delete its before image', () => {
    const [, updated, deleted] = changes(events);
    expect(updated?.before?.amount).toBe('1234.50');
    expect(updated?.after?.amount).toBe('99.99');
    expect(deleted?.before).toMatchObject({ number: 'PI-1', amount: '99.99' });
    expect(deleted?.after).toBeNull();
  });

  it('reads the source and orders positions by source.sequence', () => {
    const [a, b, c] = changes(events);
    expect(a?.source).toMatchObject({
      connector: 'postgresql',
      system: 'procurement',
      database: 'procurement',
      schema: 'public',
      table: 'supplier_invoice',
      snapshot: false,
    });
    expect(a?.source.position).toMatchObject({ kind: 'wal', changeLsn: expect.stringMatching(/^\d+$/) });
    expect(comparePositions(a!.source.position, b!.source.position)).toBeLessThan(0);
    expect(comparePositions(c!.source.position, b!.source.position)).toBeGreaterThan(0);
    expect(comparePositions(b!.source.position, b!.source.position)).toBe(0);
  });
});

describe('decodeMessage on MariaDB (binlog) events', () => {
  const events = decodeAll(fixture('mariadb-insert-update-delete.json'));

  it('decodes the same operations with exact amounts and ISO dates', () => {
    const [created, updated, deleted] = changes(events);
    expect(events.map((e) => (e.kind === 'change' ? e.op : 'tombstone'))).toEqual([
      'create',
      'update',
      'delete',
      'tombstone',
    ]);
    expect(created?.after).toMatchObject({
      number: 'B-1',
      total: '1234.50',
      currency: 'USD',
      issue_date: '2026-11-02',
    });
    expect(updated?.after?.total).toBe('10.01');
    expect(deleted?.before).toMatchObject({ number: 'B-1', total: '10.01' });
  });

  it('carries the binlog file, position and row, ordered', () => {
    const [a, b] = changes(events);
    expect(a?.source).toMatchObject({
      connector: 'mariadb',
      system: 'billing',
      database: 'billing',
      schema: null,
      table: 'invoice',
    });
    expect(a?.source.position).toMatchObject({
      kind: 'binlog',
      file: expect.stringMatching(/^mariadb-bin\.\d+$/),
      row: 0,
    });
    expect(comparePositions(a!.source.position, b!.source.position)).toBeLessThan(0);
  });
});

describe('decodeMessage on what is not a Debezium event', () => {
  const at = { topic: 'billing.billing.invoice', partition: 0, offset: '42', key: null };

  it('reports a message that is not JSON, naming topic and offset', () => {
    const result = decodeMessage({ ...at, value: Buffer.from('{not json') });
    expect(result).toEqual({
      ok: false,
      error: { code: 'NOT_JSON', message: 'billing.billing.invoice[0]@42: the message value is not JSON' },
    });
  });

  it('reports JSON without the envelope', () => {
    const result = decodeMessage({ ...at, value: Buffer.from('{"id": 1}') });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('NOT_AN_ENVELOPE');
  });

  it('reports an unknown operation', () => {
    const [created] = fixture('mariadb-insert-update-delete.json');
    const envelope = JSON.parse(created!.value!.toString()) as { payload: { op: string } };
    envelope.payload.op = 'x';
    const result = decodeMessage({ ...created!, value: Buffer.from(JSON.stringify(envelope)) });
    expect(!result.ok && result.error.code).toBe('UNKNOWN_OPERATION');
  });

  it('reports a field whose value does not fit its schema, naming the field', () => {
    const [created] = fixture('postgres-insert-update-delete.json');
    const envelope = JSON.parse(created!.value!.toString()) as { payload: { after: Record<string, unknown> } };
    envelope.payload.after.invoice_date = 'yesterday';
    const result = decodeMessage({ ...created!, value: Buffer.from(JSON.stringify(envelope)) });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual({
      code: 'FIELD_MISMATCH',
      message: expect.stringContaining('field "after.invoice_date" should be an integer'),
    });
  });

  it('treats a snapshot event (op r) as a read marked snapshot', () => {
    const [created] = fixture('postgres-insert-update-delete.json');
    const envelope = JSON.parse(created!.value!.toString()) as {
      payload: { op: string; source: { snapshot: string } };
    };
    envelope.payload.op = 'r';
    envelope.payload.source.snapshot = 'first';
    const result = decodeMessage({ ...created!, value: Buffer.from(JSON.stringify(envelope)) });
    expect(result.ok && result.event.kind === 'change' && [result.event.op, result.event.source.snapshot]).toEqual([
      'read',
      true,
    ]);
  });
});
