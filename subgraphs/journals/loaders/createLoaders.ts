import type DataLoader from 'dataloader';
import { groupLoader, rowLoader } from '../../shared/batchLoaders';
import type { Db } from '../../shared/Db';
import { sourceReferenceLoader, type SourceReferenceRow } from '../../shared/sourceReferences';
import {
  JOURNALS_BY_IDS,
  JOURNALS_BY_SOURCE_DOCUMENTS,
  LINES_BY_JOURNAL_IDS,
  type JournalLineRow,
  type JournalRow,
} from '../sql/journals';

/** The journals subgraph's per-request loaders. */
export interface JournalLoaders {
  readonly journal: DataLoader<string, JournalRow | null>;
  readonly bySourceDocument: DataLoader<string, JournalRow[]>;
  readonly lines: DataLoader<string, JournalLineRow[]>;
  readonly sourceReferences: DataLoader<string, SourceReferenceRow[]>;
}

/** Creates the loaders for one request over its counting `Db`. */
export function createLoaders(db: Db): JournalLoaders {
  return {
    journal: rowLoader<JournalRow>(db, JOURNALS_BY_IDS, (r) => r.id),
    bySourceDocument: groupLoader<JournalRow>(db, JOURNALS_BY_SOURCE_DOCUMENTS, (r) => r.source_document_id ?? ''),
    lines: groupLoader<JournalLineRow>(db, LINES_BY_JOURNAL_IDS, (r) => r.journal_entry_id),
    sourceReferences: sourceReferenceLoader(db),
  };
}
