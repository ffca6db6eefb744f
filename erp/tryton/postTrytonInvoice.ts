import { Decimal, moneyText } from '../../canonical-schema/money/Decimal';
import type { ErpDocument, ErpInvoice, ErpOutcome } from '../connector/ErpConnector';
import type { TrytonClient } from './TrytonClient';
import type { TrytonLookups } from './TrytonLookups';
import { INVOICE_FIELDS, invoiceDocument, type InvoiceRow } from './trytonDocuments';
import { ensureTrytonParty } from './ensureTrytonParty';
import { trytonDate, trytonDecimal, trytonFloat } from './trytonJson';
import { refusalOf } from './refusalOf';

type Refused = Extract<ErpOutcome, { ok: false }>;

/**
 * Posts a supplier (`in`) or customer (`out`) invoice as a Tryton `account.invoice` whose `reference` is finsync's
 * reference: create (draft; Tryton computes the taxes), compare Tryton's total with the canonical one, then `post`
 * (numbers it and creates its move). A draft left by an earlier attempt is reused. A refused or mismatching draft
 * is deleted, so nothing of a refused invoice stays in Tryton. The party is found by tax identifier, or created.
 */
export async function postTrytonInvoice(
  client: TrytonClient,
  lookups: TrytonLookups,
  invoice: ErpInvoice,
  resume: ErpDocument | null,
): Promise<ErpOutcome> {
  if (resume?.state === 'POSTED') return { ok: true, document: resume, created: false };
  const company = lookups.company(invoice.legalEntityId);
  let invoiceId: number;
  if (resume?.state === 'DRAFT') {
    invoiceId = Number(resume.id);
  } else {
    const prepared = await prepareInvoice(client, lookups, invoice);
    if (!prepared.ok) return prepared;
    const created = await client.call('model.account.invoice.create', [[prepared.values]], { company });
    if (!created.ok) return { ok: false, refusal: refusalOf(created) };
    invoiceId = (created.result as number[])[0]!;
  }
  const drop = async (refusal: Refused): Promise<Refused> => {
    const deleted = await client.call('model.account.invoice.delete', [[invoiceId]], { company });
    if (!deleted.ok) throw new Error(`tryton: could not delete refused draft invoice ${invoiceId}: ${deleted.message}`);
    return refusal;
  };
  // Tryton computes an invoice's tax lines on write, not on create (its client sends them from on_change).
  const taxed = await client.call('model.account.invoice.write', [[invoiceId], {}], { company });
  if (!taxed.ok) return drop({ ok: false, refusal: refusalOf(taxed) });
  const [draft] = await client.read<InvoiceRow[]>('model.account.invoice.read', [[invoiceId], INVOICE_FIELDS], {
    company,
  });
  if (!new Decimal(draft?.total_amount ?? '0').equals(invoice.expectedTotal)) {
    return drop({
      ok: false,
      refusal: {
        code: 'ERP_TOTAL_MISMATCH',
        message: `Tryton computes a total of ${draft?.total_amount} ${invoice.currency} for this invoice, not the ${moneyText(invoice.expectedTotal)} ${invoice.currency} finsync holds; check the lines' tax codes and rounding.`,
        description: '',
        field: 'totalAmount',
      },
    });
  }
  const posted = await client.call('model.account.invoice.post', [[invoiceId]], { company });
  if (!posted.ok) return drop({ ok: false, refusal: refusalOf(posted) });
  const [row] = await client.read<InvoiceRow[]>('model.account.invoice.read', [[invoiceId], INVOICE_FIELDS], {
    company,
  });
  return { ok: true, document: invoiceDocument(row!, invoice.reference), created: true };
}

async function prepareInvoice(
  client: TrytonClient,
  lookups: TrytonLookups,
  invoice: ErpInvoice,
): Promise<{ ok: true; values: Record<string, unknown> } | Refused> {
  const refuse = (
    message: string,
    field: string | null,
    code: Refused['refusal']['code'] = 'ERP_REFUSED',
  ): Refused => ({
    ok: false,
    refusal: { code, message, description: '', field },
  });
  const accounts = await lookups.accounts(invoice.legalEntityId);
  const account = accounts.get(invoice.accountCode);
  if (!account) return refuse(`Tryton has no account ${invoice.accountCode}.`, 'accountCode', 'ERP_UNKNOWN_ACCOUNT');
  const journal = await lookups.journalOfType(invoice.type === 'in' ? 'expense' : 'revenue');
  if (journal === null) return refuse(`Tryton has no ${invoice.type === 'in' ? 'expense' : 'revenue'} journal.`, null);
  const currency = await lookups.currencyId(invoice.currency);
  if (currency === null) return refuse(`Tryton has no currency ${invoice.currency}.`, 'currency');
  const taxes = await lookups.taxes(invoice.legalEntityId);
  const lines: Record<string, unknown>[] = [];
  for (const [i, line] of invoice.lines.entries()) {
    const lineAccount = accounts.get(line.accountCode);
    if (!lineAccount) {
      return refuse(`Tryton has no account ${line.accountCode}.`, `lines[${i + 1}].accountCode`, 'ERP_UNKNOWN_ACCOUNT');
    }
    const taxIds: number[] = [];
    for (const code of line.taxCodes) {
      const id = taxes.get(code);
      if (id === undefined) return refuse(`Tryton has no tax ${code}.`, `lines[${i + 1}].taxCode`, 'ERP_UNKNOWN_TAX');
      taxIds.push(id);
    }
    // Tryton's quantity is a float field (not money; the unit price is a Decimal). A quantity a float cannot hold
    // exactly would change the line's amount inside Tryton: refuse it here, naming the line, instead.
    const quantity = trytonFloat(line.quantity);
    if (quantity === null) {
      return refuse(
        `Line ${i + 1} has the quantity ${line.quantity}, which Tryton cannot hold exactly: it keeps quantities as floating-point numbers.`,
        `lines[${i + 1}].quantity`,
      );
    }
    lines.push({
      type: 'line',
      // A line's currency and company default to the company's; the invoice's lines must be in its own.
      currency,
      company: lookups.company(invoice.legalEntityId),
      account: Number(lineAccount.id),
      description: line.description,
      quantity,
      unit_price: trytonDecimal(line.unitPrice),
      ...(taxIds.length ? { taxes: [['add', taxIds]] } : {}),
    });
  }
  const party = await ensureTrytonParty(client, lookups, invoice.party);
  if (party.addressId === null) return refuse(`Tryton party ${party.name} has no address to invoice.`, 'counterparty');
  const values = {
    company: lookups.company(invoice.legalEntityId),
    type: invoice.type,
    party: Number(party.id),
    invoice_address: party.addressId,
    currency,
    journal,
    account: Number(account.id),
    invoice_date: trytonDate(invoice.invoiceDate),
    reference: invoice.reference,
    description: invoice.description,
    lines: [['create', lines]],
  };
  return { ok: true, values };
}
