import type { RowChange } from '../../envelope/ChangeEvent';
import type { Db } from '../../../canonical-schema/Db';

/** A parked change whose prerequisite arrived, and the correlation id of the record that released it. */
export interface Released {
  readonly event: RowChange;
  readonly releasedBy: string;
}

/**
 * Takes out of the parking lot, in one statement, every change that waited for one of the prerequisites
 * met; returns them oldest first, to be processed in the next round of the same transaction.
 */
export async function releaseParked(
  db: Db,
  met: Iterable<{ readonly type: string; readonly key: string; readonly by: string }>,
): Promise<Released[]> {
  const list = [...met];
  if (!list.length) return [];
  const { rows } = await db.query<{ id: string; event: RowChange; n: number }>(
    `delete from parked_event p
      using unnest($1::text[], $2::text[]) with ordinality as r(type, key, n)
      where p.prerequisite_type = r.type and p.prerequisite_key = r.key
      returning p.id, p.event, r.n`,
    [list.map((m) => m.type), list.map((m) => m.key)],
  );
  return rows
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((r) => ({ event: r.event, releasedBy: list[Number(r.n) - 1]!.by }));
}
