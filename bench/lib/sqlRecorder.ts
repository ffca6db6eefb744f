/**
 * Counts and times the SQL statements this process sends to one database, without touching the code that
 * sends them: `pg.Client.prototype.query` is wrapped (once, for the whole process), and statements on a
 * watched database are grouped per transaction. A transaction that writes `consumer_offset` is a pipeline
 * batch; one that reads unpublished `outbox` rows is the outbox relay; the rest is "other" (start-up, pool
 * queries outside a transaction). Each pipeline commit is reported with the offsets it stored, which tells
 * the benchmark exactly when the pipeline has durably applied a given offset.
 *
 * Timing is per statement, from the call to its result (pg queues a client's statements, so statements sent
 * together overlap; the pipeline sends one at a time except the six reference-cache reads of a batch).
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

export interface StatementStats {
  count: number;
  /** Sum of call → result times. */
  ms: number;
}

export interface SqlBucket {
  transactions: number;
  rolledBack: number;
  statements: number;
  ms: number;
  readonly byStatement: Map<string, StatementStats>;
}

export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read, as stored. */
  readonly next: bigint;
}

export interface SqlRecording {
  readonly pipeline: SqlBucket;
  readonly relay: SqlBucket;
  readonly other: SqlBucket;
  /** `performance.now()` of the first pipeline transaction's `begin`: when the first batch started. */
  readonly firstPipelineBeginAt: number | null;
  /** Stops recording; statements in flight are still added. */
  stop(): void;
}

interface Txn {
  readonly begunAt: number;
  kind: 'pipeline' | 'relay' | 'other';
  readonly byStatement: Map<string, StatementStats>;
  statements: number;
  ms: number;
  readonly offsets: CommittedOffset[];
}

interface Recorder {
  readonly recording: SqlRecording & { firstPipelineBeginAt: number | null };
  readonly onPipelineCommit?: (offsets: readonly CommittedOffset[], at: number) => void;
  readonly autocommit: SqlBucket;
}

const recorders = new Map<string, Recorder>();
const openTxn = new WeakMap<object, Txn | null>();
let installed = false;

const emptyBucket = (): SqlBucket => ({ transactions: 0, rolledBack: 0, statements: 0, ms: 0, byStatement: new Map() });

function add(map: Map<string, StatementStats>, label: string, count: number, ms: number): void {
  const s = map.get(label);
  if (s) {
    s.count += count;
    s.ms += ms;
  } else {
    map.set(label, { count, ms });
  }
}

function mergeTxn(bucket: SqlBucket, txn: Txn, rolledBack: boolean): void {
  bucket.transactions += 1;
  if (rolledBack) bucket.rolledBack += 1;
  bucket.statements += txn.statements;
  bucket.ms += txn.ms;
  for (const [label, s] of txn.byStatement) add(bucket.byStatement, label, s.count, s.ms);
}

/** A statement's label: its text with whitespace collapsed, cut to a readable length. */
function labelOf(normalized: string): string {
  return normalized.length > 110 ? `${normalized.slice(0, 107)}...` : normalized;
}

const targetOfLabel = new Map<string, string>();

/** Normalised forms of a statement's text, cached: the pipeline sends a few dozen distinct texts. */
const described = new Map<string, { lower: string; label: string }>();
function describe(text: string): { lower: string; label: string } {
  let d = described.get(text);
  if (!d) {
    const normalized = text.replace(/\s+/g, ' ').trim();
    d = { lower: normalized.toLowerCase(), label: labelOf(normalized) };
    if (described.size < 10_000) described.set(text, d);
    // The target comes from the whole text (a label may cut off the `update` of a `with … update`).
    if (!targetOfLabel.has(d.label)) targetOfLabel.set(d.label, targetOf(normalized));
  }
  return d;
}

type QueryFn = (this: Client, ...args: unknown[]) => unknown;

function install(): void {
  if (installed) return;
  installed = true;
  const proto = Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  proto.query = function recordedQuery(this: Client, ...args: unknown[]): unknown {
    const rec = recorders.get((this as unknown as { database?: string }).database ?? '');
    if (!rec) return original.apply(this, args);

    const config = args[0] as { text?: unknown; values?: unknown; submit?: unknown } | string | null | undefined;
    const text = typeof config === 'string' ? config : typeof config?.text === 'string' ? config.text : '(submittable)';
    const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : (config as { values?: unknown[] })?.values;
    const { lower, label } = describe(text);
    const started = performance.now();

    if (lower === 'begin') {
      openTxn.set(this, {
        begunAt: started,
        kind: 'other',
        byStatement: new Map(),
        statements: 0,
        ms: 0,
        offsets: [],
      });
    }
    const txn = openTxn.get(this) ?? null;
    if (txn) {
      if (lower.startsWith('insert into consumer_offset') && values) {
        txn.kind = 'pipeline';
        txn.offsets.push({
          topic: String(values[1]),
          partition: Number(values[2]),
          next: BigInt(String(values[3])),
        });
      } else if (lower.includes('from outbox where published_at is null')) {
        txn.kind = 'relay';
      }
    }
    const ends = txn && (lower === 'commit' || lower === 'rollback');
    if (ends) openTxn.set(this, null);

    const finish = (ok: boolean) => {
      const ms = performance.now() - started;
      if (!txn) {
        rec.autocommit.statements += 1;
        rec.autocommit.ms += ms;
        add(rec.autocommit.byStatement, label, 1, ms);
        return;
      }
      txn.statements += 1;
      txn.ms += ms;
      add(txn.byStatement, label, 1, ms);
      if (!ends) return;
      const rolledBack = lower === 'rollback' || !ok;
      const bucket = rec.recording[txn.kind];
      mergeTxn(bucket, txn, rolledBack);
      if (txn.kind === 'pipeline') {
        const first = rec.recording.firstPipelineBeginAt;
        if (first === null || txn.begunAt < first) rec.recording.firstPipelineBeginAt = txn.begunAt;
        if (!rolledBack) rec.onPipelineCommit?.(txn.offsets, performance.now());
      }
    };

    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = function (this: unknown, err: unknown, ...rest: unknown[]) {
        finish(!err);
        return (last as (...a: unknown[]) => unknown).call(this, err, ...rest);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        () => finish(true),
        () => finish(false),
      );
    } else {
      finish(true);
    }
    return result;
  };
}

/**
 * Starts recording the statements sent to `database` by any pg client of this process. `onPipelineCommit`
 * runs right after each pipeline batch's commit has returned.
 */
export function recordSql(
  database: string,
  onPipelineCommit?: (offsets: readonly CommittedOffset[], at: number) => void,
): SqlRecording {
  install();
  if (recorders.has(database)) throw new Error(`already recording ${database}`);
  const autocommit = emptyBucket();
  const recording: SqlRecording & { firstPipelineBeginAt: number | null } = {
    pipeline: emptyBucket(),
    relay: emptyBucket(),
    other: autocommit,
    firstPipelineBeginAt: null,
    stop: () => {
      recorders.delete(database);
    },
  };
  recorders.set(database, { recording, onPipelineCommit, autocommit });
  return recording;
}

export interface StatementRow {
  readonly statement: string;
  readonly count: number;
  readonly perEvent: number;
  readonly totalMs: number;
  readonly meanMs: number;
  /** Share of the summed statement time of the bucket. */
  readonly shareOfSqlTime: number;
}

/** The bucket's statements, most time first. */
export function statementTable(bucket: SqlBucket, events: number, top: number): StatementRow[] {
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  return [...bucket.byStatement.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, top)
    .map(([statement, s]) => ({
      statement,
      count: s.count,
      perEvent: round(s.count / events, 3),
      totalMs: round(s.ms, 1),
      meanMs: round(s.ms / s.count, 3),
      shareOfSqlTime: round(s.ms / bucket.ms, 3),
    }));
}

export interface TableRow {
  /** `insert invoice_line`, `select source_reference`, `savepoint`, `begin/commit`… */
  readonly target: string;
  readonly count: number;
  readonly perEvent: number;
  readonly totalMs: number;
  readonly shareOfSqlTime: number;
}

/**
 * What a statement does to which table: `insert invoice_line`, `update invoice`, `select source_reference`;
 * a `with` statement lists every table it writes (`insert source_reference + delete parked_event + …`).
 */
export function targetOf(statement: string): string {
  const s = statement.toLowerCase();
  if (/^(savepoint|release savepoint|rollback to savepoint)\b/.test(s)) return 'savepoint';
  if (/^(begin|commit|rollback)$/.test(s)) return 'begin/commit';
  // (`on conflict … do update set` is part of its insert, not a write of its own.)
  const writes = [...s.matchAll(/\b(insert into|(?<!do )update|delete from)\s+(\w+)/g)].map(
    (m) => `${m[1]!.split(' ')[0]} ${m[2]}`,
  );
  if (/^(insert|update|delete)\b/.test(s) && writes[0]) return writes[0];
  if (/^with\b/.test(s) && writes.length) return [...new Set(writes)].join(' + ');
  // A read: the first table of the outer query (subqueries in parentheses removed).
  let outer = s;
  for (let prev = ''; prev !== outer;) [prev, outer] = [outer, outer.replace(/\([^()]*\)/g, '()')];
  const read = /\bfrom\s+(\w+)/.exec(outer);
  return read ? `select ${read[1]}` : s.slice(0, 40);
}

/** The bucket's statements grouped by `targetOf`, most time first. */
export function targetTable(bucket: SqlBucket, events: number): TableRow[] {
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  const groups = new Map<string, StatementStats>();
  for (const [label, s] of bucket.byStatement) add(groups, targetOfLabel.get(label) ?? targetOf(label), s.count, s.ms);
  return [...groups.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([target, s]) => ({
      target,
      count: s.count,
      perEvent: round(s.count / events, 3),
      totalMs: round(s.ms, 1),
      shareOfSqlTime: round(s.ms / bucket.ms, 3),
    }));
}
