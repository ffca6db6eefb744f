import DataLoader from 'dataloader';
import { groupLoader, rowLoader } from '../../shared/batchLoaders';
import type { Db } from '../../shared/Db';
import { reconcileRecords, type RecordReconciliation } from '../reconcile/reconcileRecords';
import type { SourceDatabases } from '../sources/SourceDatabases';
import {
  ACTIONS_BY_EXCEPTION_IDS,
  EXCEPTIONS_BY_IDS,
  EXCEPTIONS_HOLDING,
  OPEN_EXCEPTIONS_BY_CANONICAL,
  WAITING_BY_EXCEPTION_IDS,
  type ExceptionActionRow,
  type ExceptionRow,
  type WaitingRow,
} from '../sql/exceptions';
import { PAYMENT_MATCH_BY_INVOICE_IDS, type PaymentMatchRow } from '../sql/paymentMatch';

/** The reconciliation subgraph's per-request loaders. */
export interface ReconciliationLoaders {
  readonly exception: DataLoader<string, ExceptionRow | null>;
  readonly actions: DataLoader<string, ExceptionActionRow[]>;
  readonly openExceptions: DataLoader<string, Array<ExceptionRow & { key_id: string }>>;
  readonly record: DataLoader<string, RecordReconciliation>;
  readonly paymentMatch: DataLoader<string, PaymentMatchRow | null>;
  /** What waits on an exception, per currency (by exception id). */
  readonly waiting: DataLoader<string, WaitingRow[]>;
  /** The open exception holding a parked change back (key `<type>|<system>/<table>/<source id>`). */
  readonly holding: DataLoader<string, ExceptionRow | null>;
}

/** Loaders over the request's `Db` and the (shared, read-only) source databases. */
export function loadersWith(sources: SourceDatabases, graceSeconds: number) {
  return (db: Db): ReconciliationLoaders => ({
    exception: rowLoader<ExceptionRow>(db, EXCEPTIONS_BY_IDS, (r) => r.id),
    actions: groupLoader<ExceptionActionRow>(db, ACTIONS_BY_EXCEPTION_IDS, (r) => r.exception_id),
    openExceptions: groupLoader<ExceptionRow & { key_id: string }>(db, OPEN_EXCEPTIONS_BY_CANONICAL, (r) => r.key_id),
    record: new DataLoader((ids) => reconcileRecords({ db, sources, graceSeconds }, ids)),
    paymentMatch: rowLoader<PaymentMatchRow>(db, PAYMENT_MATCH_BY_INVOICE_IDS, (r) => r.id),
    waiting: groupLoader<WaitingRow>(db, WAITING_BY_EXCEPTION_IDS, (r) => r.exception_id),
    holding: new DataLoader(async (keys) => {
      // `<type>|<system>/<table>/<source id>`: the table holds a dot, never a slash; the source id may hold either.
      const parts = keys.map((k) => /^([^|]+)\|([^/]+)\/([^/]+)\/(.*)$/.exec(k));
      const { rows } = await db.query<ExceptionRow & { key_id: string }>(EXCEPTIONS_HOLDING, [
        keys,
        parts.map((m) => m?.[1] ?? ''),
        parts.map((m) => m?.[2] ?? ''),
        parts.map((m) => m?.[3] ?? ''),
        parts.map((m) => m?.[4] ?? ''),
      ]);
      const byKey = new Map(rows.map((r) => [r.key_id, r]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
  });
}
