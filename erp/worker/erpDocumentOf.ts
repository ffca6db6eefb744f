import type { Db } from '../../canonical-schema/Db';
import type { ErpInvoice, ErpJournal } from '../connector/ErpConnector';
import type { InvoicePostingBody } from '../posting/InvoicePostingBody';
import type { JournalPostingInput } from '../posting/JournalPostingInput';
import type { PostingRow } from '../posting/Posting';

/**
 * The ERP document of a posting, from its stored body: a journal's lines with their counterparties' tax ids (read
 * from the canonical store), or the canonical invoice as accepted. Both carry the posting's ERP reference.
 */
export async function erpDocumentOf(
  db: Db,
  row: PostingRow,
): Promise<{ kind: 'JOURNAL'; journal: ErpJournal } | { kind: 'INVOICE'; invoice: ErpInvoice }> {
  if (row.kind === 'JOURNAL') {
    const body = row.body as JournalPostingInput;
    const lines = [];
    for (const l of body.lines) {
      let partyTaxId: string | null = null;
      if (l.counterparty) {
        const table = l.counterparty.type === 'VENDOR' ? 'vendor' : 'customer';
        const { rows } = await db.query<{ tax_id: string | null }>(`select tax_id from ${table} where id = $1`, [
          l.counterparty.id,
        ]);
        partyTaxId = rows[0]?.tax_id ?? null;
      }
      lines.push({
        accountCode: l.accountCode,
        debit: l.debit,
        credit: l.credit,
        description: l.description,
        partyTaxId,
      });
    }
    const description = [body.number, body.memo].filter(Boolean).join(' · ') || null;
    return {
      kind: 'JOURNAL',
      journal: {
        reference: row.erp_reference,
        legalEntityId: body.legalEntityId,
        date: body.transactionDate,
        currency: body.currency,
        description,
        lines,
      },
    };
  }
  const body = row.body as InvoicePostingBody;
  return {
    kind: 'INVOICE',
    invoice: {
      reference: row.erp_reference,
      legalEntityId: body.legalEntityId,
      type: body.type === 'ACCOUNTS_PAYABLE' ? 'in' : 'out',
      party: { name: body.counterparty.name, taxId: body.counterparty.taxId ?? '' },
      accountCode: body.controlAccountCode,
      invoiceDate: body.issueDate,
      currency: body.currency,
      description: [body.number, body.memo].filter(Boolean).join(' · '),
      expectedTotal: body.totalAmount,
      lines: body.lines.map((l) => ({
        accountCode: l.accountCode ?? '',
        description: l.description ?? `Line ${l.lineNumber}`,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        taxCodes: l.taxCode ? [l.taxCode] : [],
      })),
    },
  };
}
