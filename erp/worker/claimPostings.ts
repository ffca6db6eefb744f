import type { Pool } from 'pg';
import { changeStatus } from '../posting/changeStatus';
import type { PostingRow } from '../posting/Posting';
import { dequeuePosting, selectPosting, WAITING_FOR_VENDOR } from '../sql/postingSql';

/**
 * Claims up to `limit` due postings for this worker in one transaction: queue rows due now and not leased
 * (`FOR UPDATE SKIP LOCKED`, so workers never wait for each other) are leased until now + `leaseMs`; each
 * APPROVED posting becomes SUBMITTED (audited, in the outbox); every claimed posting's attempts go up by one.
 * A queue row whose posting is no longer sendable (cancelled, already posted) is dropped.
 *
 * Prerequisites are waited for, not failed: an invoice whose vendor is not activated yet (vendor onboarding:
 * checks passed and the ERP acknowledged the vendor, view `vendor_activation`) stays in the queue, unclaimed and
 * APPROVED, and is claimed on the first round after the vendor's activation.
 */
export async function claimPostings(
  pool: Pool,
  workerId: string,
  limit: number,
  leaseMs: number,
): Promise<PostingRow[]> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ posting_id: string }>(
      `with due as (
         select q.posting_id from posting_queue q
          where q.run_at <= now() and (q.locked_until is null or q.locked_until < now())
            and not exists (${WAITING_FOR_VENDOR} and p.id = q.posting_id)
          order by q.run_at limit $1 for update of q skip locked)
       update posting_queue q set locked_until = now() + $2 * interval '1 millisecond', locked_by = $3
         from due where q.posting_id = due.posting_id
       returning q.posting_id`,
      [limit, leaseMs, workerId],
    );
    const claimed: PostingRow[] = [];
    for (const { posting_id } of rows) {
      const row = await selectPosting(client, posting_id, true);
      if (!row || (row.status !== 'APPROVED' && row.status !== 'SUBMITTED')) {
        await dequeuePosting(client, posting_id);
        continue;
      }
      await client.query(`update posting set attempts = attempts + 1 where id = $1`, [posting_id]);
      const counted = { ...row, attempts: row.attempts + 1 };
      claimed.push(
        row.status === 'APPROVED'
          ? await changeStatus(client, counted, 'SUBMITTED', workerId, { submitted: true })
          : counted,
      );
    }
    await client.query('commit');
    return claimed;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
