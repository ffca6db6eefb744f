import type { ExceptionInput } from '../exceptions/ExceptionInput';
import { describeRow } from './decideChange';
import type { PlannedChange } from './planChange';

/**
 * The exception for a change that threw while it was applied alone (a constraint the rules did not foresee). It
 * names the source row — system, table and the row's id, with the record's own name when the mapping got that far —
 * as well as where the change sat in its topic, and is keyed by the row: the row's exceptions are its work items,
 * resolved when a later change of the row applies. Each failing change is its own exception (the fingerprint holds
 * the offset), so a retry takes the change that failed.
 */
export function applyFailedException(change: PlannedChange, err: unknown): ExceptionInput {
  const e = change.event;
  const at = `topic ${e.topic}, partition ${e.partition}, offset ${e.offset}`;
  const cause = describeCause(err);
  const table = `${e.source.schema ?? e.source.database}.${e.source.table}`;
  if (change.kind !== 'row') {
    return {
      code: 'APPLY_FAILED',
      message: `A change from ${e.source.system} table ${table} (${at}) could not be applied: ${cause}. Nothing of it was written; retry it once the cause is fixed.`,
      source: { system: e.source.system, table, sourceId: `${e.topic}:${e.partition}:${e.offset}` },
      sourceEvent: e,
    };
  }
  const { row, rule, image, mapped } = change;
  const record = describeRow(rule, row, mapped?.ok ? mapped.value : undefined);
  return {
    code: 'APPLY_FAILED',
    message: `${record}: its ${e.op} could not be applied (${row.system} table ${row.table}, source id ${row.sourceId}; ${at}): ${cause}. Nothing of it was written; retry it once the cause is fixed.`,
    objectType: row.objectType,
    legalEntityId: typeof image.legal_entity === 'string' ? image.legal_entity : null,
    source: { system: row.system, table: row.table, sourceId: row.sourceId },
    correlationId: row.correlationId,
    sourceEvent: e,
    fingerprint: ['APPLY_FAILED', row.system, row.table, row.sourceId, e.topic, e.partition, e.offset].join('|'),
  };
}

/**
 * The database's reason, in a person's words where PostgreSQL says which field and value: a foreign key that refers
 * to nothing (a legal entity or currency a source wrote into a text column that does not exist), a value too long,
 * out of range or not valid for its type. Otherwise the error's own message.
 */
export function describeCause(err: unknown): string {
  const e = err as { message?: string; code?: string; detail?: string; column?: string };
  const message = err instanceof Error ? err.message : String(err);
  const key = /^Key \(([^)]+)\)=\((.*)\) is not present in table "([^"]+)"\.?$/.exec(e.detail ?? '');
  if (e.code === '23503' && key)
    return `field ${key[1]} is "${key[2]}", which is not a known ${(key[3] ?? '').replace(/_/g, ' ')} (${message})`;
  if (e.code === '22001' || e.code === '22003' || e.code === '22007' || e.code === '22008' || e.code === '22P02')
    return `a field's value does not fit its type${e.column ? ` (field ${e.column})` : ''}: ${message}`;
  return message;
}
