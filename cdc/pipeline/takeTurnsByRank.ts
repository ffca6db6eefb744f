/**
 * A lock that lets one task run at a time and, when several wait, hands it to the lowest rank first (then
 * first come, first served). The pipeline applies one batch at a time and wants parents before children:
 * vendors and customers before invoices, invoices before their lines and payments, so that fewer changes
 * park waiting for a parent that is in the next batch anyway.
 */
export function takeTurnsByRank(): <T>(rank: number, task: () => Promise<T>) => Promise<T> {
  let busy = false;
  let arrivals = 0;
  const waiting: Array<{ rank: number; arrival: number; start: () => void }> = [];
  const next = (): void => {
    if (!waiting.length) {
      busy = false;
      return;
    }
    let best = 0;
    for (let i = 1; i < waiting.length; i++) {
      const w = waiting[i]!;
      const b = waiting[best]!;
      if (w.rank < b.rank || (w.rank === b.rank && w.arrival < b.arrival)) best = i;
    }
    waiting.splice(best, 1)[0]!.start();
  };
  return async (rank, task) => {
    if (busy) await new Promise<void>((start) => waiting.push({ rank, arrival: arrivals++, start }));
    busy = true;
    try {
      return await task();
    } finally {
      next();
    }
  };
}
