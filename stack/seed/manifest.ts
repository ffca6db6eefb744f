/**
 * The manifest a seed run prints and writes to .run/seed-<seed>.json: what was planted where (with source ids, the
 * Debezium topic and the exception finsync should raise), and the counts and control totals of the records that
 * should reach the canonical model. Its format is described in stack/seed/README.md.
 */
import type { Controls } from './controls';
import type { AnomalyKind, Dataset, ExpectedException, RecordRef } from './model';
import { reference } from '../../canonical-schema/reference/reference';
import type { TableResult, WriteResult } from './writePostgres';
import type { PoisonResult } from './writeKafka';

export const MANIFEST_VERSION = 1;

/** Debezium's topic for a source table: `<topic.prefix>.<schema>.<table>`. */
export function topicOf(system: 'procurement' | 'payroll' | 'billing', table: string): string {
  return system === 'billing' ? `billing.billing.${table}` : `${system}.public.${table}`;
}

export interface ManifestRecord {
  table: string;
  key: Readonly<Record<string, string>>;
  role: string;
  /** The row's primary key (`id`) in the source table; null if it could not be found. */
  sourceId: number | null;
}

export interface ManifestAnomaly {
  kind: AnomalyKind;
  /** The exception code finsync should raise, or null (PARKED_THEN_APPLIED is parked, then applied). */
  expectedException: ExpectedException | null;
  /** Who raises it: the CDC pipeline, or the flow named (vendor onboarding for INVALID_IBAN). */
  raisedBy: 'pipeline' | 'VENDOR_ONBOARDING';
  system: 'procurement' | 'payroll' | 'billing';
  table: string;
  topic: string;
  /** Ids of the rows that carry the anomaly (empty for POISON_MESSAGE). */
  sourceIds: number[];
  records: ManifestRecord[];
  related: ManifestRecord[];
  includedInControls: boolean;
  description: string;
  /** POISON_MESSAGE only: where the malformed message is. */
  kafka?: { topic: string; partition: number; offset: string; key: string; value: string };
}

export interface Manifest {
  manifestVersion: number;
  seed: number;
  prefix: string;
  size: number;
  scenario: string;
  anomaliesPlanted: boolean;
  referenceVersion: number;
  sources: Record<string, { database: string; engine: 'postgres' | 'mariadb'; topics: string }>;
  anomalies: ManifestAnomaly[];
  controlsNote: string;
  controls: Controls;
  run: { writtenAt: string; seconds: number; tables: Record<string, TableResult> };
}

function resolveRecord(system: string, ref: RecordRef, results: readonly WriteResult[]): ManifestRecord {
  const key = Object.values(ref.key).join('|');
  const id = results.map((r) => r.ids[ref.table]?.get(key)).find((v) => v !== undefined);
  return { table: `${system}.${ref.table}`, key: ref.key, role: ref.role, sourceId: id ?? null };
}

export function buildManifest(input: {
  opts: { seed: number; size: number; anomalies: boolean; scenario: string };
  data: Dataset;
  controls: Controls;
  results: readonly WriteResult[];
  poison: PoisonResult | null;
  seconds: number;
}): Manifest {
  const { opts, data, results, poison } = input;
  const anomalies = data.anomalies.map((a): ManifestAnomaly => {
    const records = a.records.map((r) => resolveRecord(a.system, r, results));
    const out: ManifestAnomaly = {
      kind: a.kind,
      expectedException: a.expectedException,
      raisedBy: a.raisedBy ?? 'pipeline',
      system: a.system,
      table: a.table,
      topic: topicOf(a.system, a.table),
      sourceIds: records.map((r) => r.sourceId).filter((id): id is number => id !== null),
      records,
      related: a.related.map((r) => resolveRecord(a.system, r, results)),
      includedInControls: a.includedInControls,
      description: a.description,
    };
    if (a.kind === 'POISON_MESSAGE' && poison && data.poison) {
      out.kafka = {
        topic: poison.topic,
        partition: poison.partition,
        offset: poison.offset,
        key: poison.key,
        value: data.poison.value,
      };
    }
    return out;
  });
  return {
    manifestVersion: MANIFEST_VERSION,
    seed: opts.seed,
    prefix: data.prefix,
    size: opts.size,
    scenario: opts.scenario,
    anomaliesPlanted: opts.anomalies,
    referenceVersion: reference.version,
    sources: {
      procurement: { database: 'procurement', engine: 'postgres', topics: 'procurement.public.<table>' },
      payroll: { database: 'payroll', engine: 'postgres', topics: 'payroll.public.<table>' },
      billing: { database: 'billing', engine: 'mariadb', topics: 'billing.billing.<table>' },
    },
    anomalies,
    controlsNote:
      `Rows of this run (codes and numbers starting ${data.prefix}) expected to reach the canonical model without ` +
      'an exception: the clean rows plus the PARKED_THEN_APPLIED invoice and payment; the rows of the other anomalies ' +
      'are left out. Totals per currency of the amountColumn; supplier_invoice.amount and invoice.total include tax; ' +
      'payment totals include pending and failed payments (settled: settled only).',
    controls: input.controls,
    run: {
      writtenAt: new Date().toISOString(),
      seconds: Math.round(input.seconds * 10) / 10,
      tables: Object.assign({}, ...results.map((r) => r.tables)) as Record<string, TableResult>,
    },
  };
}
