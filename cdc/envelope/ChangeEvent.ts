/**
 * The one typed form of a Debezium change event inside finsync. The decoder (`decodeMessage`) is the only
 * code that reads Debezium's JSON; everything downstream works with these types.
 * Envelope reference: https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-events
 */

/** A field value after decoding: decimals, dates, times and timestamps are exact strings, never floats. */
export type FieldValue =
  string | number | boolean | null | readonly FieldValue[] | { readonly [k: string]: FieldValue };

/** A row image (Debezium `before` / `after`, or the message key): column name → decoded value. */
export type RowImage = Readonly<Record<string, FieldValue>>;

/** Debezium `op`: r (snapshot read), c (create), u (update), d (delete), t (truncate), m (message). */
export type ChangeOperation = 'read' | 'create' | 'update' | 'delete' | 'truncate';

/**
 * Where a change sits in its source's log. Postgres events are ordered by `source.sequence`
 * (commit LSN, then change LSN), not by `lsn` alone: two transactions interleave their changes in the WAL.
 * MariaDB/MySQL events are ordered by binlog file, position and row within the event.
 * LSNs are decimal strings: they exceed 2^53.
 */
export type SourcePosition =
  | {
      readonly kind: 'wal';
      readonly commitLsn: string | null;
      readonly changeLsn: string;
      readonly txId: number | null;
    }
  | {
      readonly kind: 'binlog';
      readonly file: string;
      readonly pos: number;
      readonly row: number;
      readonly gtid: string | null;
      readonly serverId: number | null;
    };

/** Where the change came from: the source system (Debezium `topic.prefix`), database, schema, table. */
export interface ChangeSource {
  /** Debezium connector type: `postgresql`, `mariadb`, `mysql`. */
  readonly connector: string;
  /** The logical source system, Debezium's `topic.prefix` (`procurement`, `billing`, `payroll`, `erp`). */
  readonly system: string;
  readonly database: string;
  /** The Postgres schema; null for MariaDB/MySQL, where the database is the namespace. */
  readonly schema: string | null;
  readonly table: string;
  /** True for events of the initial (or an incremental) snapshot. */
  readonly snapshot: boolean;
  /** Commit time at the source, ISO-8601 UTC. */
  readonly committedAt: string;
  readonly position: SourcePosition;
}

/** Where a message sits in Kafka. Offsets are strings, as kafkajs gives them (they may exceed 2^53). */
export interface BrokerCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** A row-level change (or snapshot read) decoded from a Debezium envelope. */
export interface RowChange extends BrokerCoordinates {
  readonly kind: 'change';
  readonly op: ChangeOperation;
  /** The primary key of the row, from the message key. */
  readonly key: RowImage | null;
  /** The row before the change: null for create and read; for update and delete it depends on the
   * source's replica identity (Postgres `REPLICA IDENTITY FULL`, MariaDB `binlog_row_image=FULL`). */
  readonly before: RowImage | null;
  /** The row after the change: null for delete. */
  readonly after: RowImage | null;
  readonly source: ChangeSource;
}

/** The null-valued message Debezium writes after a delete so that log compaction can drop the key. */
export interface Tombstone extends BrokerCoordinates {
  readonly kind: 'tombstone';
  readonly key: RowImage | null;
}

/** Everything a Debezium topic can carry that finsync understands. */
export type ChangeEvent = RowChange | Tombstone;
