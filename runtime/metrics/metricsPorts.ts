/**
 * Every finsync instance's scrape port. Ports hang off `FINSYNC_PORT_BASE` (default 4000) like the service ports:
 * process p's metrics listen on base + 200 + METRICS_PORT_OFFSETS[p], instance n on that + 1000 · (n − 1)
 * (gateway-1 4200, gateway-2 5200, cdc-1 4201, posting-1 4202, flows-1 4203, vendors-1 … postings-1 4211 … 4216).
 * The launcher's own /metrics stays on base + 90.
 */
export const METRICS_PORT_OFFSETS: Readonly<Record<string, number>> = {
  gateway: 0,
  cdc: 1,
  posting: 2,
  flows: 3,
  vendors: 11,
  invoices: 12,
  payments: 13,
  journals: 14,
  reconciliation: 15,
  postings: 16,
};

export const METRICS_PORT_BASE_OFFSET = 200;
const REPLICA_PORT_STEP = 1000;

/** The scrape port of instance n of a process; throws for a process without one. */
export function metricsPortOf(processName: string, instance: number, portBase: number): number {
  const offset = METRICS_PORT_OFFSETS[processName];
  if (offset === undefined) throw new Error(`no metrics port for process "${processName}"`);
  return portBase + METRICS_PORT_BASE_OFFSET + offset + REPLICA_PORT_STEP * (instance - 1);
}
