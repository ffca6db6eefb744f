import DataLoader from 'dataloader';
import type { PostingRow } from '../../../erp/posting/Posting';
import type { Db } from '../../shared/Db';

/** A posting row with its confirmation against the ERP. */
export type PostingRecord = PostingRow & {
  readonly confirmation_status: string | null;
  readonly confirmed_at: Date | null;
  readonly confirmation_differences: string[];
  readonly erp_journal_entry_id: string | null;
};

export interface PostingLoaders {
  readonly posting: DataLoader<string, PostingRecord | null>;
}

export const POSTING_COLUMNS = `select * from posting`;

/** Per request: postings by id, one `= ANY` query per batch, in key order. */
export function createLoaders(db: Db): PostingLoaders {
  return {
    posting: new DataLoader(async (ids) => {
      const { rows } = await db.query<PostingRecord>(`${POSTING_COLUMNS} where id = any($1::uuid[])`, [ids]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
