import type { ErpDocument } from '../connector/ErpConnector';

/** The `account.move` fields finsync reads back. */
export const MOVE_FIELDS = ['number', 'post_number', 'state', 'description', 'date'] as const;
/** The `account.invoice` fields finsync reads back. */
export const INVOICE_FIELDS = ['number', 'state', 'reference', 'move', 'total_amount'] as const;

export interface MoveRow {
  readonly id: number;
  readonly number: string | null;
  readonly post_number: string | null;
  readonly state: string;
  readonly description: string | null;
}

export interface InvoiceRow {
  readonly id: number;
  readonly number: string | null;
  readonly state: string;
  readonly reference: string | null;
  readonly move: number | null;
  readonly total_amount: string | null;
}

/** A Tryton move as an ERP document. */
export function moveDocument(row: MoveRow, reference: string): ErpDocument {
  return {
    kind: 'JOURNAL',
    id: String(row.id),
    number: row.post_number ?? null,
    state: row.state === 'posted' ? 'POSTED' : row.state === 'draft' ? 'DRAFT' : 'OTHER',
    reference,
    moveId: String(row.id),
    total: null,
  };
}

/** A Tryton invoice as an ERP document (paid counts as posted: it was posted first). */
export function invoiceDocument(row: InvoiceRow, reference: string): ErpDocument {
  return {
    kind: 'INVOICE',
    id: String(row.id),
    number: row.number ?? null,
    state:
      row.state === 'posted' || row.state === 'paid'
        ? 'POSTED'
        : row.state === 'draft' || row.state === 'validated'
          ? 'DRAFT'
          : 'OTHER',
    reference,
    moveId: row.move === null ? null : String(row.move),
    total: row.total_amount,
  };
}
