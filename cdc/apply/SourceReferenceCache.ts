import type { MappingRules } from '../mapping/loadMappingRules';
import { ruleKey } from '../mapping/loadMappingRules';
import { sourceIdOf } from '../mapping/mapRow';
import type { RowChange } from '../envelope/ChangeEvent';
import type { Db } from './Db';
import type { StoredReference } from './sourceReference';

/**
 * The source references a batch needs, read in one query at the start of the batch instead of one query
 * per event and reference. Valid for one transaction only: the pipeline updates it whenever it writes a
 * source reference, and drops it when a batch is redone event by event under savepoints.
 */
export class SourceReferenceCache {
  private readonly known = new Map<string, StoredReference | null>();

  /** The cached reference; null when known to be absent; undefined when not cached. */
  get(system: string, table: string, sourceId: string): StoredReference | null | undefined {
    return this.known.get(`${system}\u0000${table}\u0000${sourceId}`);
  }

  set(system: string, table: string, sourceId: string, ref: StoredReference | null): void {
    this.known.set(`${system}\u0000${table}\u0000${sourceId}`, ref);
  }

  /** Reads the references of every row the changes are about, and of every row they reference. */
  static async prefetch(db: Db, changes: readonly RowChange[], rules: MappingRules): Promise<SourceReferenceCache> {
    const cache = new SourceReferenceCache();
    const keys: Array<[string, string, string]> = [];
    for (const change of changes) {
      const table = `${change.source.schema ?? change.source.database}.${change.source.table}`;
      const rule = rules.get(ruleKey(change.source.system, table));
      const image = change.after ?? change.before;
      if (!rule?.target || !image) continue;
      keys.push([change.source.system, table, sourceIdOf(rule, image)]);
      for (const spec of Object.values(rule.references)) {
        const refId = image[spec.from];
        if (refId !== null && refId !== undefined) keys.push([spec.system, spec.table, String(refId)]);
      }
    }
    if (!keys.length) return cache;
    const { rows } = await db.query<{
      system: string;
      source_table: string;
      source_id: string;
      canonical_id: string;
      object_type: StoredReference['objectType'];
      last_position: StoredReference['lastPosition'];
    }>(
      `select r.system, r.source_table, r.source_id, r.canonical_id, r.object_type, r.last_position
         from source_reference r
         join unnest($1::text[], $2::text[], $3::text[]) as k(s, t, i)
           on r.system = k.s and r.source_table = k.t and r.source_id = k.i`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
    );
    for (const [s, t, i] of keys) cache.set(s, t, i, null);
    for (const r of rows) {
      cache.set(r.system, r.source_table, r.source_id, {
        canonicalId: r.canonical_id,
        objectType: r.object_type,
        lastPosition: r.last_position,
      });
    }
    return cache;
  }
}
