import { readdirSync, readFileSync } from 'node:fs';

/** Resident and peak resident memory (MiB) of the largest process of a process group (the node of a tsx child). */
export function processGroupMemory(pgid: number): { rssMiB: number; peakRssMiB: number } {
  let best = { rssMiB: 0, peakRssMiB: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state ppid pgrp …
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== pgid) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      const m = { rssMiB: Math.round(kib('VmRSS') / 1024), peakRssMiB: Math.round(kib('VmHWM') / 1024) };
      if (m.rssMiB > best.rssMiB) best = m;
    } catch {
      // the process ended meanwhile
    }
  }
  return best;
}

/** CPU time (user + system, ms) used so far by every process of a process group. */
export function processGroupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // After the command: state(0) ppid(1) pgrp(2) … utime(11) stime(12), in clock ticks (100 per second).
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10;
}
