/**
 * Where the CPU went during a measured window, from Linux's /proc: this Node process, the PostgreSQL backends
 * serving one database, the Kafka broker, and the whole machine (which shows other work on the shared host).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

/** USER_HZ: /proc reports CPU time in these ticks (100 on Linux x86-64). */
const TICKS_PER_SECOND = 100;
const KAFKA_PID_FILE = path.resolve(__dirname, '..', '..', '.run', 'kafka', 'kafka.pid');

/** utime + stime of a process in ticks, or null when it is gone. */
function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  // idle + iowait are not busy.
  return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
}

function kafkaPid(): number | null {
  try {
    const pid = Number(readFileSync(KAFKA_PID_FILE, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export interface CpuSnapshot {
  readonly at: number;
  readonly node: NodeJS.CpuUsage;
  readonly backends: ReadonlyMap<number, number>;
  readonly kafka: number | null;
  readonly machine: { busy: number; total: number };
}

/** `admin` is a connection to another database (it must not count itself). */
export async function cpuSnapshot(admin: Client, database: string): Promise<CpuSnapshot> {
  const { rows } = await admin.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1`, [
    database,
  ]);
  const backends = new Map<number, number>();
  for (const { pid } of rows) {
    const t = processTicks(pid);
    if (t !== null) backends.set(pid, t);
  }
  const kpid = kafkaPid();
  return {
    at: performance.now(),
    node: process.cpuUsage(),
    backends,
    kafka: kpid === null ? null : processTicks(kpid),
    machine: machineTicks(),
  };
}

export interface CpuUse {
  readonly wallSeconds: number;
  /** CPU seconds per wall second (1 = one core busy the whole window). */
  readonly nodeCores: number;
  readonly postgresCores: number;
  readonly kafkaBrokerCores: number | null;
  /** Every process on the machine, this run's and others'. */
  readonly machineBusyCores: number;
  readonly machineCores: number;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, machineCores: number): CpuUse {
  const wall = (b.at - a.at) / 1000;
  const node = (b.node.user - a.node.user + b.node.system - a.node.system) / 1e6;
  let pgTicks = 0;
  // A backend that appeared during the window counts from zero (its start is a connection set-up).
  for (const [pid, ticks] of b.backends) pgTicks += ticks - (a.backends.get(pid) ?? 0);
  const machineTotal = b.machine.total - a.machine.total;
  return {
    wallSeconds: r3(wall),
    nodeCores: r3(node / wall),
    postgresCores: r3(pgTicks / TICKS_PER_SECOND / wall),
    kafkaBrokerCores: a.kafka !== null && b.kafka !== null ? r3((b.kafka - a.kafka) / TICKS_PER_SECOND / wall) : null,
    machineBusyCores: machineTotal > 0 ? r3(((b.machine.busy - a.machine.busy) / machineTotal) * machineCores) : 0,
    machineCores,
  };
}
