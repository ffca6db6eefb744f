import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table';
import { useState, type ReactNode } from 'react';
import { toCsv } from '../lib/csv';
import { download } from '../lib/download';

/** A column: its header, its cell, and its text (for sorting and the CSV export). */
export interface Column<T> {
  readonly id: string;
  readonly header: string;
  /** The value as text: what the CSV holds and what sorting compares (unless `sortValue`). */
  readonly text: (row: T) => string;
  /** What the cell shows (default: the text). */
  readonly cell?: (row: T) => ReactNode;
  readonly sortValue?: (row: T) => string | number;
  /** Right-aligned (amounts, counts). */
  readonly numeric?: boolean;
}

interface Props<T> {
  /** What the table lists, e.g. "Open exceptions"; also its accessible name. */
  readonly caption: string;
  readonly rows: readonly T[];
  readonly columns: ReadonlyArray<Column<T>>;
  readonly rowId: (row: T) => string;
  /** The CSV file's name, without extension. */
  readonly exportName: string;
  /** Selection checkboxes, for bulk actions: the selected row ids. */
  readonly selection?: { readonly selected: ReadonlySet<string>; readonly onChange: (ids: Set<string>) => void };
  readonly empty?: string;
  readonly toolbar?: ReactNode;
}

/**
 * A list as a table (TanStack Table): sortable headers (buttons, so the keyboard sorts too), optional selection,
 * and "Export CSV", which writes exactly the rows on screen in the order shown, with the columns shown.
 */
export function DataTable<T>({ caption, rows, columns, rowId, exportName, selection, empty, toolbar }: Props<T>) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const rowSelection: RowSelectionState = Object.fromEntries([...(selection?.selected ?? [])].map((id) => [id, true]));
  const defs: Array<ColumnDef<T>> = columns.map((c) => ({
    id: c.id,
    header: c.header,
    accessorFn: (row: T) => (c.sortValue ? c.sortValue(row) : c.text(row)),
    cell: (ctx) => (c.cell ? c.cell(ctx.row.original) : c.text(ctx.row.original)),
  }));
  // The table object is rebuilt each render here (nothing memoizes it), which is what this rule warns about.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows as T[],
    columns: defs,
    state: { sorting, rowSelection },
    onSortingChange: setSorting,
    getRowId: (row) => rowId(row),
    enableRowSelection: Boolean(selection),
    onRowSelectionChange: (updater) => {
      const next = typeof updater === 'function' ? updater(rowSelection) : updater;
      selection?.onChange(new Set(Object.keys(next).filter((k) => next[k])));
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const shown = table.getRowModel().rows;
  const exportCsv = () =>
    download(
      `${exportName}.csv`,
      toCsv(
        columns.map((c) => c.header),
        shown.map((r) => columns.map((c) => c.text(r.original))),
      ),
    );
  const allSelected = selection && shown.length > 0 && shown.every((r) => selection.selected.has(r.id));
  return (
    <div className="table-block">
      <div className="table-toolbar">
        <span className="count" aria-live="polite">
          {shown.length} {shown.length === 1 ? 'row' : 'rows'}
        </span>
        {toolbar}
        <button type="button" onClick={exportCsv} disabled={!shown.length}>
          Export CSV
        </button>
      </div>
      <div className="table-scroll">
        <table aria-label={caption}>
          <thead>
            {table.getHeaderGroups().map((g) => (
              <tr key={g.id}>
                {selection && (
                  <th className="select">
                    <input
                      type="checkbox"
                      aria-label="Select all rows"
                      checked={Boolean(allSelected)}
                      onChange={(e) => selection.onChange(new Set(e.target.checked ? shown.map((r) => r.id) : []))}
                    />
                  </th>
                )}
                {g.headers.map((h) => {
                  const col = columns.find((c) => c.id === h.column.id);
                  const dir = h.column.getIsSorted();
                  return (
                    <th
                      key={h.id}
                      className={col?.numeric ? 'num' : undefined}
                      aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                    >
                      <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={columns.length + (selection ? 1 : 0)} className="empty">
                  {empty ?? 'Nothing to show.'}
                </td>
              </tr>
            )}
            {shown.map((r) => (
              <tr key={r.id} data-row-id={r.id}>
                {selection && (
                  <td className="select">
                    <input
                      type="checkbox"
                      aria-label={`Select row ${r.index + 1}`}
                      checked={r.getIsSelected()}
                      onChange={r.getToggleSelectedHandler()}
                    />
                  </td>
                )}
                {r.getVisibleCells().map((cell) => {
                  const col = columns.find((c) => c.id === cell.column.id);
                  return (
                    <td key={cell.id} className={col?.numeric ? 'num' : undefined} data-col={cell.column.id}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
