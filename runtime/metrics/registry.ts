/**
 * The one place a finsync module registers a Prometheus metric. Every process exposes prom-client's default
 * registry on its own scrape port (`serveMetrics.ts`); a module asks here for its counter, gauge or histogram by
 * name. Asking twice for the same name returns the same metric (a test may start a pipeline twice in one process;
 * prom-client would refuse a second registration).
 *
 * Which process exports which names (so that database-read gauges come from one process only, never once per
 * replica) is `METRIC_OWNERS` below, documented in docs/operations.md. The flows engine registers its
 * `finsync_flow_*` metrics here too, from the `flows` process.
 */
import { Counter, Gauge, Histogram, register, type Metric } from 'prom-client';

export const metricsRegistry = register;

type Labels<L extends string> = readonly L[];

function existing<M extends Metric>(name: string): M | undefined {
  return register.getSingleMetric(name) as M | undefined;
}

export function counter<L extends string>(name: string, help: string, labelNames: Labels<L> = []): Counter<L> {
  return existing<Counter<L>>(name) ?? new Counter<L>({ name, help, labelNames: [...labelNames] });
}

export function gauge<L extends string>(name: string, help: string, labelNames: Labels<L> = []): Gauge<L> {
  return existing<Gauge<L>>(name) ?? new Gauge<L>({ name, help, labelNames: [...labelNames] });
}

export function histogram<L extends string>(
  name: string,
  help: string,
  labelNames: Labels<L>,
  buckets: readonly number[],
): Histogram<L> {
  return (
    existing<Histogram<L>>(name) ?? new Histogram<L>({ name, help, labelNames: [...labelNames], buckets: [...buckets] })
  );
}

/** Latency buckets in seconds from 5 ms to 10 min: an apply takes milliseconds, a flow to the ERP minutes. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * Which process exports which metric families. Gauges read from the database are computed by one
 * single-instance process on an interval (never by the scrape), so replicas do not multiply them.
 */
export const METRIC_OWNERS: Readonly<Record<string, readonly string[]>> = {
  cdc: [
    'finsync_cdc_events_total',
    'finsync_cdc_consumer_lag_messages',
    'finsync_cdc_source_to_apply_seconds',
    'finsync_dead_letter_total',
    // database and Connect reads, on an interval:
    'finsync_exceptions_open',
    'finsync_exception_oldest_age_seconds',
    'finsync_exception_max_age_seconds',
    'finsync_parked_events',
    'finsync_outbox_backlog',
    'finsync_replication_slot_wal_retained_bytes',
    'finsync_connector_running',
    'finsync_connector_task_running',
  ],
  posting: [
    'finsync_posting_erp_requests_total',
    'finsync_erp_circuit_open',
    'finsync_posting_queue_depth',
    'finsync_posting_queue_oldest_age_seconds',
  ],
  flows: ['finsync_flow_documents', 'finsync_flow_latency_seconds', 'finsync_flow_sla_breaches_total'],
  reconciliation: ['finsync_reconciliation_differences'],
  gateway: [
    'finsync_gateway_request_duration_seconds',
    'finsync_gateway_errors_total',
    'finsync_gateway_subscriptions_active',
  ],
  launcher: ['finsync_process_up', 'finsync_process_ready', 'finsync_process_restarts_total'],
};
