import type { Db } from '../../shared/Db';
import type { FlowDefinition, SourceRecord } from '../flows/FlowDefinition';
import type { Explanations, OpenException } from './compareRecords';

/**
 * The open exceptions of the records (and their lines) and the parked changes among them: two statements,
 * whatever the number of records.
 */
export async function loadExplanations(
  deps: { readonly db: Db; readonly graceSeconds: number },
  flow: FlowDefinition,
  records: readonly SourceRecord[],
): Promise<Explanations> {
  const { system, table, childTables } = flow.source;
  const ids = records.map((r) => r.source_id);
  const lineIds = records.flatMap((r) => (r.line_ids ?? '').split(',').filter(Boolean));
  const [exceptions, parked] = await Promise.all([
    deps.db.query<OpenException>(
      `select id::text, code, message, source_table, source_id from exception
        where status = 'OPEN' and source_system = $1
          and ((source_table = $2 and source_id = any($3::text[])) or (source_table = any($4::text[]) and source_id = any($5::text[])))
        order by created_at`,
      [system, table, ids, childTables, lineIds],
    ),
    deps.db.query<{ source_id: string; reason: string }>(
      `select source_id, reason from parked_event where source_system = $1 and source_table = $2 and source_id = any($3::text[])`,
      [system, table, ids],
    ),
  ]);
  const byKey = new Map<string, OpenException[]>();
  for (const e of exceptions.rows) {
    const key = `${e.source_table}:${e.source_id}`;
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  return {
    exceptions: byKey,
    parked: new Map(parked.rows.map((p) => [p.source_id, p.reason])),
    graceSeconds: deps.graceSeconds,
  };
}
