/**
 * The walking skeleton, end to end on the real stack: SQL in a source database → Debezium (Kafka Connect)
 * → Kafka → finsync's kafkajs consumer and envelope decoder. Nothing here is mocked.
 */
import { Client } from 'pg';
import mysql from 'mysql2/promise';
import type { ChangeEvent, RowChange } from '../../cdc/envelope/ChangeEvent';
import { comparePositions } from '../../cdc/envelope/comparePositions';
import { collectChanges, type ChangeCollector } from '../support/collectChanges';
import { stackEnv } from '../support/stackEnv';

const marker = `SKEL-${Date.now()}`;
const PG_TOPIC = 'procurement.public.supplier_invoice';
const MARIADB_TOPIC = 'billing.billing.invoice';

/** The events of one source row: its changes (matched by number) and the tombstone of its key. */
function rowEvents(topic: string, numberColumn: string) {
  let rowId: unknown;
  return (e: ChangeEvent): boolean => {
    if (e.topic !== topic) return false;
    if (e.kind === 'change') {
      const row = e.after ?? e.before;
      if (row?.[numberColumn] !== marker) return false;
      rowId = e.key?.id;
      return true;
    }
    return rowId !== undefined && e.key?.id === rowId;
  };
}

const ops = (events: ChangeEvent[], topic: string) =>
  events.filter((e) => e.topic === topic).map((e) => (e.kind === 'change' ? e.op : 'tombstone'));

describe('CDC walking skeleton (real Postgres, MariaDB, Kafka, Debezium)', () => {
  let collector: ChangeCollector;
  const pgRow = rowEvents(PG_TOPIC, 'number');
  const mariadbRow = rowEvents(MARIADB_TOPIC, 'number');

  beforeAll(async () => {
    collector = await collectChanges([PG_TOPIC, MARIADB_TOPIC], (e) => pgRow(e) || mariadbRow(e));

    const pg = new Client(stackEnv.procurementPg);
    await pg.connect();
    try {
      await pg.query(
        `insert into supplier_invoice (supplier_ref, number, amount, currency, invoice_date, approved_at)
         values ('SUP-0042', $1, 1234.50, 'EUR', '2026-11-02', '2026-11-03T10:15:30.123456+01:00')`,
        [marker],
      );
      await pg.query(`update supplier_invoice set amount = 1300.05 where number = $1`, [marker]);
      await pg.query(`delete from supplier_invoice where number = $1`, [marker]);
    } finally {
      await pg.end();
    }

    const my = await mysql.createConnection(stackEnv.billingMariadb);
    try {
      await my.query(
        `insert into invoice (customer_code, number, total, currency, issue_date) values ('CUST-7', ?, 1234.50, 'USD', '2026-11-02')`,
        [marker],
      );
      await my.query(`update invoice set total = 0.10 where number = ?`, [marker]);
      await my.query(`delete from invoice where number = ?`, [marker]);
    } finally {
      await my.end();
    }

    await collector.until(
      (events) => ops(events, PG_TOPIC).length >= 4 && ops(events, MARIADB_TOPIC).length >= 4,
      90_000,
    );
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it('decodes every message on the topics, except the poison messages the data generator plants', () => {
    // `npm run seed -- --anomalies` writes one malformed message per seed, keyed S<seed>-POISON.
    expect(collector.failures.filter((f) => !/^S\d+-POISON$/.test(f.key ?? ''))).toEqual([]);
  });

  it.each([
    ['Postgres', PG_TOPIC],
    ['MariaDB', MARIADB_TOPIC],
  ])('%s: create, update, delete and tombstone arrive in that order for the key', (_name, topic) => {
    expect(ops(collector.events, topic)).toEqual(['create', 'update', 'delete', 'tombstone']);
  });

  it('Postgres: the amount is exactly "1234.50", dates and timestamps are ISO strings', () => {
    const [created, updated, deleted] = collector.events.filter(
      (e): e is RowChange => e.topic === PG_TOPIC && e.kind === 'change',
    );
    expect(created?.after).toMatchObject({
      supplier_ref: 'SUP-0042',
      number: marker,
      amount: '1234.50',
      currency: 'EUR',
      invoice_date: '2026-11-02',
      approved_at: '2026-11-03T09:15:30.123456Z',
    });
    expect(updated?.before?.amount).toBe('1234.50');
    expect(updated?.after?.amount).toBe('1300.05');
    // The delete carries the whole row as it was (REPLICA IDENTITY FULL).
    expect(deleted?.before).toMatchObject({ number: marker, amount: '1300.05', supplier_ref: 'SUP-0042' });
    expect(deleted?.after).toBeNull();
    expect(created?.source).toMatchObject({
      connector: 'postgresql',
      system: 'procurement',
      schema: 'public',
      table: 'supplier_invoice',
      snapshot: false,
    });
  });

  it('Postgres: positions follow source.sequence (commit LSN, change LSN) in event order', () => {
    const positions = collector.events
      .filter((e): e is RowChange => e.topic === PG_TOPIC && e.kind === 'change')
      .map((e) => e.source.position);
    expect(positions.every((p) => p.kind === 'wal')).toBe(true);
    for (let i = 1; i < positions.length; i++)
      expect(comparePositions(positions[i - 1]!, positions[i]!)).toBeLessThan(0);
  });

  it('MariaDB: the total is exactly "1234.50", the date ISO, the delete has its before image', () => {
    const [created, updated, deleted] = collector.events.filter(
      (e): e is RowChange => e.topic === MARIADB_TOPIC && e.kind === 'change',
    );
    expect(created?.after).toMatchObject({
      customer_code: 'CUST-7',
      number: marker,
      total: '1234.50',
      currency: 'USD',
      issue_date: '2026-11-02',
    });
    expect(updated?.after?.total).toBe('0.10');
    expect(deleted?.before).toMatchObject({ number: marker, total: '0.10', customer_code: 'CUST-7' });
    expect(deleted?.after).toBeNull();
  });

  it('MariaDB: positions are binlog file/pos/row, increasing in event order', () => {
    const positions = collector.events
      .filter((e): e is RowChange => e.topic === MARIADB_TOPIC && e.kind === 'change')
      .map((e) => e.source.position);
    expect(positions[0]).toMatchObject({ kind: 'binlog', file: expect.stringMatching(/^mariadb-bin\.\d{6}$/) });
    for (let i = 1; i < positions.length; i++)
      expect(comparePositions(positions[i - 1]!, positions[i]!)).toBeLessThan(0);
  });
});
