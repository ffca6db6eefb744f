/**
 * The CDC pipeline's own metrics (the `cdc` process): what it consumed and how each change ended, and how long a change takes from its commit at the source to its commit in the canonical store.
 */
import { counter, histogram, LATENCY_BUCKETS } from '../../runtime/metrics/registry';
import type { RowChange } from '../envelope/ChangeEvent';
import type { Outcome } from '../pipeline/Outcome';

const events = counter(
  'finsync_cdc_events_total',
  'Change messages consumed, by source system, source table and how they ended (applied, parked, rejected, skipped, ignored, poison, tombstone).',
  ['system', 'table', 'outcome'],
);
const sourceToApply = histogram(
  'finsync_cdc_source_to_apply_seconds',
  'Time from a change’s commit at the source to its commit in the canonical store (snapshot reads excluded).',
  [],
  LATENCY_BUCKETS,
);
const deadLetters = counter(
  'finsync_dead_letter_total',
  'Unreadable change messages sent to the dead-letter topic.',
  [],
);

export interface ChangeEnded {
  readonly event: RowChange;
  readonly outcome: Outcome;
}

/** What one canonical commit consumed. */
export interface Committed {
  readonly ended: readonly ChangeEnded[];
  /** Topics of the unreadable messages sent to the dead-letter topic, one entry per message. */
  readonly poisonTopics: readonly string[];
  /** Topics of the tombstones (Debezium's compaction markers after a delete), one entry per message. */
  readonly tombstoneTopics: readonly string[];
}

const tableOfTopic = (topic: string) => {
  const [system = 'unknown', schema = '', table = ''] = topic.split('.');
  return { system, table: `${schema}.${table}` };
};

/**
 * After a canonical commit: counts every consumed message once by outcome (a change by how it ended, a poison
 * message, a tombstone) and observes each applied change's source → canonical latency.
 */
export function recordCommitted(c: Committed, committedAt: number): void {
  for (const { event, outcome } of c.ended) {
    const s = event.source;
    events.inc({ system: s.system, table: `${s.schema ?? s.database}.${s.table}`, outcome: outcome.toLowerCase() });
    if (outcome === 'APPLIED' && !s.snapshot && event.op !== 'read') {
      const at = Date.parse(s.committedAt);
      if (at > 0) sourceToApply.observe(Math.max(0, committedAt - at) / 1000);
    }
  }
  for (const topic of c.poisonTopics) events.inc({ ...tableOfTopic(topic), outcome: 'poison' });
  for (const topic of c.tombstoneTopics) events.inc({ ...tableOfTopic(topic), outcome: 'tombstone' });
  if (c.poisonTopics.length) deadLetters.inc(c.poisonTopics.length);
}
