import { Decimal } from '../../../canonical-schema/money/Decimal';
import type { CanonicalRecord, FlowDefinition, SourceRecord } from '../flows/FlowDefinition';
import type { RecordDifference } from './RecordDifference';

/** An open exception on a source row (the record itself or one of its lines). */
export interface OpenException {
  readonly id: string;
  readonly code: string;
  readonly message: string;
  readonly source_table: string;
  readonly source_id: string;
}

/** What explains a record's difference: its open exceptions and whether it waits, parked. */
export interface Explanations {
  /** Open exceptions by `<source table>:<source id>`. */
  readonly exceptions: ReadonlyMap<string, readonly OpenException[]>;
  /** Parked changes by source id of the flow's table: the reason they wait. */
  readonly parked: ReadonlyMap<string, string>;
  /** Changes younger than this (seconds) may not be applied yet: their differences are PENDING. */
  readonly graceSeconds: number;
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  a === b || (a !== null && a !== undefined && b !== null && b !== undefined && new Decimal(a).eq(b));

/**
 * Compares a flow's records at the source and canonical stages, keyed by source id; pure. Returns every record that
 * differs, with the reason: missing in the canonical store (and the exception or the wait that explains it), missing
 * at the source, a different amount, currency, status or set of lines.
 */
export function compareRecords(
  flow: FlowDefinition,
  sources: readonly SourceRecord[],
  canonicals: readonly CanonicalRecord[],
  why: Explanations,
): RecordDifference[] {
  const out: RecordDifference[] = [];
  const canonicalById = new Map(canonicals.map((c) => [c.source_id, c]));
  const sourceIds = new Set(sources.map((s) => s.source_id));
  const { system, table } = flow.source;
  const label = (s: { number: string | null; source_id: string }) =>
    `${s.number ?? s.source_id} (${system} ${table} ${s.source_id})`;
  const exceptionsOf = (s: SourceRecord) => [
    ...(why.exceptions.get(`${table}:${s.source_id}`) ?? []),
    ...(s.line_ids ?? '')
      .split(',')
      .filter(Boolean)
      .flatMap((id) => flow.source.childTables.flatMap((t) => why.exceptions.get(`${t}:${id}`) ?? [])),
  ];
  const base = (s: SourceRecord | null, c: CanonicalRecord | null) => ({
    flowId: flow.id,
    stages: ['SOURCE', 'CANONICAL'] as const,
    erpValue: null,
    sourceSystem: system,
    sourceTable: table,
    sourceId: (s ?? c)!.source_id,
    number: s?.number ?? c?.number ?? null,
    canonicalId: c?.canonical_id ?? null,
  });

  for (const s of sources) {
    const c = canonicalById.get(s.source_id);
    const recent = Number(s.age_seconds ?? Infinity) < why.graceSeconds;
    const exception = exceptionsOf(s)[0] ?? null;
    if (!c) {
      const parked = why.parked.get(s.source_id);
      const [status, message] = exception
        ? (['MISMATCH', `${label(s)} is not in the canonical store: ${exception.message}`] as const)
        : parked
          ? (['PENDING', `${label(s)} is waiting: ${parked}`] as const)
          : recent
            ? (['PENDING', `${label(s)} changed at the source ${s.age_seconds} s ago and is not applied yet.`] as const)
            : (['MISMATCH', `${label(s)} is not in the canonical store, and no exception explains why.`] as const);
      out.push({
        ...base(s, null),
        reason: 'MISSING_IN_CANONICAL',
        status,
        message,
        sourceValue: s.amount,
        canonicalValue: null,
        exceptionId: exception?.id ?? null,
      });
      continue;
    }
    // An open exception means the pipeline refused part of it: nothing in flight will fix that by itself.
    const status = recent && !exception ? 'PENDING' : 'MISMATCH';
    const diff = (reason: RecordDifference['reason'], message: string, sv: string | null, cv: string | null) =>
      out.push({
        ...base(s, c),
        reason,
        status,
        message,
        sourceValue: sv,
        canonicalValue: cv,
        exceptionId: exception?.id ?? null,
      });
    if ((s.currency ?? '').trim() !== (c.currency ?? '').trim()) {
      diff(
        'CURRENCY_DIFFERS',
        `${label(s)} is in ${s.currency} at the source but ${c.currency} in the canonical store.`,
        s.currency,
        c.currency,
      );
    } else if (!same(s.amount, c.amount)) {
      diff(
        'AMOUNT_DIFFERS',
        `${label(s)} amounts to ${s.amount} ${s.currency} at the source but ${c.amount} in the canonical store.`,
        s.amount,
        c.amount,
      );
    }
    const allowed = s.status === null ? undefined : flow.statusMap[s.status];
    if (c.deleted || (allowed && !allowed.includes(c.status))) {
      const canonicalStatus = c.deleted ? 'deleted at source' : c.status;
      diff(
        'STATUS_DIFFERS',
        `${label(s)} is ${s.status} at the source (${(allowed ?? []).join(' or ')} expected) but ${canonicalStatus} in the canonical store.`,
        s.status,
        canonicalStatus,
      );
    }
    if (
      flow.comparesLines &&
      (Number(s.line_count ?? 0) !== Number(c.line_count ?? 0) ||
        (s.line_total !== undefined && !same(s.line_total, c.line_total)))
    ) {
      const why = exception ? ` ${exception.message}` : '';
      diff(
        'LINES_DIFFER',
        `${label(s)} has ${s.line_count} lines at the source but ${c.line_count} in the canonical store.${why}`,
        `${s.line_count}`,
        `${c.line_count}`,
      );
    }
  }
  for (const c of canonicals) {
    if (c.deleted || sourceIds.has(c.source_id)) continue;
    out.push({
      ...base(null, c),
      reason: 'MISSING_AT_SOURCE',
      status: 'MISMATCH',
      message: `${label(c)} is in the canonical store but not at the source (in this legal entity and period).`,
      sourceValue: null,
      canonicalValue: c.amount,
      exceptionId: null,
    });
  }
  return out;
}
