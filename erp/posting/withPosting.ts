import type { PoolClient } from 'pg';
import { selectPosting } from '../sql/postingSql';
import { toPosting, type PostingPayload, type PostingRow } from './Posting';
import type { PostingDeps } from './PostingDeps';
import type { PostingUserError } from './PostingUserError';
import { violation } from './postingRules';

/**
 * Runs a decision on one posting in a transaction holding its row lock: `decide` returns the new row, or
 * userErrors (then nothing is written). Decisions on the same posting are thus serialised.
 */
export async function withPosting(
  deps: PostingDeps,
  id: string,
  decide: (db: PoolClient, row: PostingRow) => Promise<PostingRow | PostingUserError[]>,
): Promise<PostingPayload> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) {
    return { posting: null, userErrors: [violation('POSTING_EXISTS', 'id', { what: 'posting', id })] };
  }
  const client = await deps.pool.connect();
  try {
    await client.query('begin');
    const row = await selectPosting(client, id, true);
    if (!row) {
      await client.query('rollback');
      return { posting: null, userErrors: [violation('POSTING_EXISTS', 'id', { what: 'posting', id })] };
    }
    const result = await decide(client, row);
    if (Array.isArray(result)) {
      await client.query('rollback');
      return { posting: toPosting(row), userErrors: result };
    }
    await client.query('commit');
    return { posting: toPosting(result), userErrors: [] };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The INVALID_STATUS userError. */
export function wrongStatus(row: PostingRow, action: string, expected: string): PostingUserError[] {
  return [violation('POSTING_STATUS', 'id', { postingId: row.id, status: row.status, action, expected })];
}
