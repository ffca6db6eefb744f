/**
 * The flows' Prometheus metrics (names fixed by docs/operations.md and the alert rules): documents per flow, legal
 * entity and state (read from flow_document on an interval by the one flows process, never by the scrape), the
 * latency from the trigger to the document posted in the ERP, and SLA breaches, counted once when the engine marks
 * them.
 */
import type { Pool } from 'pg';
import { LATENCY_BUCKETS, counter, gauge, histogram } from '../../runtime/metrics/registry';

const documents = gauge('finsync_flow_documents', 'Documents of each flow by legal entity and state (flow_document).', [
  'flow',
  'legal_entity',
  'state',
]);

const latency = histogram(
  'finsync_flow_latency_seconds',
  'Seconds from a document reaching its trigger state to the stage (posted: its ERP document posted).',
  ['flow', 'stage'],
  LATENCY_BUCKETS,
);

const breaches = counter(
  'finsync_flow_sla_breaches_total',
  'Documents that waited longer than their flow SLA, each counted once, the moment it breached.',
  ['flow'],
);

export function recordSlaBreaches(flowId: string, count: number): void {
  if (count > 0) breaches.inc({ flow: flowId }, count);
}

export function recordPosted(flowId: string, seconds: number): void {
  if (Number.isFinite(seconds) && seconds >= 0) latency.observe({ flow: flowId, stage: 'posted' }, seconds);
}

/** Reads the documents per flow, legal entity and state now; states a flow no longer has drop to 0. */
export async function refreshFlowDocuments(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ flow_id: string; legal_entity_id: string; state: string; n: string }>(
    `select flow_id, legal_entity_id, state, count(*)::text as n from flow_document group by 1, 2, 3`,
  );
  documents.reset();
  for (const r of rows)
    documents.set({ flow: r.flow_id, legal_entity: r.legal_entity_id, state: r.state }, Number(r.n));
}

/** Keeps finsync_flow_documents fresh every `intervalMs`; returns the stop function. */
export function watchFlowDocuments(pool: Pool, intervalMs: number, onError: (err: unknown) => void): () => void {
  const tick = () => void refreshFlowDocuments(pool).catch(onError);
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
