import type { JournalEntryRow, JournalLineOwnRow, JournalLineRow } from '../CanonicalRows';
import type { Db } from '../../../canonical-schema/Db';
import type { Pending } from '../UnitOfWork';
import { bookkeepingColumns, flagDeleted, TOUCHED, withRows } from './bookkeeping';
import { upsertRows, type Column } from './unnestRows';

const COLUMNS: readonly Column<{ row: JournalEntryRow; bump: number }>[] = [
  { name: 'id', type: 'uuid', value: (p) => p.row.id },
  { name: 'legal_entity_id', type: 'text', value: (p) => p.row.legalEntityId },
  { name: 'journal_type', type: 'text', value: (p) => p.row.journalType },
  { name: 'number', type: 'text', value: (p) => p.row.number },
  { name: 'transaction_date', type: 'date', value: (p) => p.row.transactionDate },
  { name: 'accounting_period_id', type: 'uuid', value: (p) => p.row.accountingPeriodId },
  { name: 'memo', type: 'text', value: (p) => p.row.memo },
  { name: 'posting_status', type: 'text', value: (p) => p.row.postingStatus },
  { name: 'source_document_type', type: 'text', value: (p) => p.row.sourceDocumentType, onConflict: 'keep' },
  { name: 'currency', type: 'text', value: (p) => p.row.currency },
  ...bookkeepingColumns<JournalEntryRow>(),
];

type Line = JournalLineRow & { readonly journalEntryId: string };
const LINE_COLUMNS: readonly Column<Line>[] = [
  { name: 'journal_entry_id', type: 'uuid', value: (l) => l.journalEntryId },
  { name: 'line_number', type: 'int', value: (l) => l.lineNumber },
  { name: 'account_id', type: 'uuid', value: (l) => l.accountId },
  { name: 'account_code', type: 'text', value: (l) => l.accountCode },
  { name: 'description', type: 'text', value: (l) => l.description },
  { name: 'debit', type: 'numeric', value: (l) => l.debit },
  { name: 'credit', type: 'numeric', value: (l) => l.credit },
  { name: 'currency', type: 'text', value: (l) => l.currency },
  { name: 'dimensions', type: 'jsonb', value: (l) => l.dimensions },
];

/** Writes the round's journal entries in one statement and replaces the lines of every changed one. */
export async function writeJournalEntries(
  db: Db,
  pending: ReadonlyMap<string, Pending<JournalEntryRow>>,
): Promise<void> {
  await upsertRows(db, 'journal_entry', COLUMNS, withRows(pending.values()), { conflict: 'id', alsoSet: TOUCHED });
  await flagDeleted(db, 'journal_entry', pending);
  // A journal flagged deleted keeps its lines (the audit trail shows what it was); so does one whose lines
  // arrive as rows of their own (writeJournalLines).
  const replaced = [...pending].filter(([, p]) => p.row?.lines && !p.isNew).map(([id]) => id);
  if (replaced.length) await db.query(`delete from journal_line where journal_entry_id = any($1::uuid[])`, [replaced]);
  const lines: Line[] = [];
  for (const [id, p] of pending) for (const l of p.row?.lines ?? []) lines.push({ ...l, journalEntryId: id });
  await upsertRows(db, 'journal_line', LINE_COLUMNS, lines);
}

const OWN_LINE_COLUMNS: readonly Column<JournalLineOwnRow>[] = [
  { name: 'id', type: 'uuid', value: (l) => l.id },
  ...LINE_COLUMNS,
  { name: 'second_currency', type: 'text', value: (l) => l.secondCurrency },
  { name: 'amount_second_currency', type: 'numeric', value: (l) => l.amountSecondCurrency },
];

/** Journal lines sent as rows of their own (the ERP's move lines): deletions, then one upsert. */
export async function writeJournalLines(
  db: Db,
  lines: ReadonlyMap<string, JournalLineOwnRow | 'delete'>,
): Promise<void> {
  const deleted: string[] = [];
  const written: JournalLineOwnRow[] = [];
  for (const [id, l] of lines) {
    if (l === 'delete') deleted.push(id);
    else written.push(l);
  }
  if (deleted.length) await db.query(`delete from journal_line where id = any($1::uuid[])`, [deleted]);
  await upsertRows(db, 'journal_line', OWN_LINE_COLUMNS, written, { conflict: 'id' });
}
