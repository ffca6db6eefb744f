import type { Db } from '../../canonical-schema/Db';

/**
 * One connection runs one statement at a time. The batch loaders of a round dispatch their queries in the same
 * tick; this hands them to the connection one after another (node-postgres queues them itself today, but
 * deprecates doing so).
 */
export function serialQueries(db: Db): Db {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    query: (text, values) => {
      const run = tail.then(() => db.query(text, values));
      tail = run.catch(() => undefined);
      return run;
    },
  } as Db;
}
