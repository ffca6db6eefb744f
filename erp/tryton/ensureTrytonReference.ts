import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { reference as defaultReference, type Reference } from '../../canonical-schema/reference/reference';
import type { TrytonConnector } from './trytonConnector';
import { trytonDate, trytonDecimal } from './trytonJson';

const ChartSchema = z.object({
  version: z.number().int().positive(),
  description: z.string(),
  journal: z.object({ code: z.string().min(1), name: z.string().min(1), type: z.string().min(1) }),
  paymentJournalPrefix: z.string().min(1),
  invoicePaymentMethod: z.object({ name: z.string().min(1), account: z.string().min(1) }),
  typeByCanonicalType: z.record(z.string(), z.string()),
  accounts: z.record(
    z.string(),
    z.object({ type: z.string().optional(), partyRequired: z.boolean().optional(), reconcile: z.boolean().optional() }),
  ),
  taxAccount: z.string(),
});
export type TrytonChart = z.infer<typeof ChartSchema>;

/** Reads `reference/trytonChart.json`. */
export function loadTrytonChart(file = join(__dirname, 'reference', 'trytonChart.json')): TrytonChart {
  return ChartSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** What one run created or changed (all zero on a second run). */
export interface TrytonReferenceReport {
  accountsCreated: number;
  accountsUpdated: number;
  taxesCreated: number;
  journalsCreated: number;
  paymentJournalsCreated: number;
  paymentMethodsCreated: number;
  periodsClosed: number;
}

/**
 * Makes Tryton hold finsync's reference data for every legal entity kept there (each a company, made by
 * stack/tryton/ensure_companies.py), so that a posting names the same account codes, tax codes and period states on
 * both sides: the chart's accounts (by code; inactive ones closed), a tax per tax code, finsync's general journal
 * numbered in every company, a payment journal per currency, a payment method to pay invoices into the bank
 * account, and the periods the reference marks CLOSED closed in
 * Tryton too (FS-EU's 2025). Idempotent: what exists is left alone; nothing is deleted.
 */
export async function ensureTrytonReference(
  erp: TrytonConnector,
  companies: Readonly<Record<string, number>>,
  data: Reference = defaultReference,
  chart: TrytonChart = loadTrytonChart(),
): Promise<TrytonReferenceReport> {
  const { client } = erp;
  const report: TrytonReferenceReport = {
    accountsCreated: 0,
    accountsUpdated: 0,
    taxesCreated: 0,
    journalsCreated: 0,
    paymentJournalsCreated: 0,
    paymentMethodsCreated: 0,
    periodsClosed: 0,
  };
  for (const [legalEntityId, company] of Object.entries(companies)) {
    const ctx = { company };
    // Every company has its own copy of the account type chart (Tryton's create_chart makes one per company).
    const types = await client.read<Array<{ id: number; name: string; 'parent.': { name: string } | null }>>(
      'model.account.account.type.search_read',
      [[['company', '=', company]], 0, null, null, ['name', 'parent.name']],
      ctx,
    );
    const typeId = new Map(types.map((t) => [`${t['parent.']?.name ?? ''}/${t.name}`, t.id]));
    const [root] = await client.read<number[]>(
      'model.account.account.search',
      [
        [
          ['company', '=', company],
          ['parent', '=', null],
        ],
        0,
        1,
        [['id', 'ASC']],
      ],
      ctx,
    );
    if (root === undefined) throw new Error(`tryton: company ${company} has no chart of accounts`);
    const existing = await client.read<Array<{ id: number; code: string; closed: boolean }>>(
      'model.account.account.search_read',
      [
        [
          ['company', '=', company],
          ['code', '!=', null],
        ],
        0,
        null,
        null,
        ['code', 'closed'],
      ],
      ctx,
    );
    const byCode = new Map(existing.map((a) => [a.code, a]));
    for (const account of data.accounts.filter((a) => a.legalEntities.includes(legalEntityId))) {
      const closed = account.status !== 'ACTIVE' || !account.allowsPosting;
      const found = byCode.get(account.code);
      if (found) {
        if (found.closed !== closed) {
          await client.read('model.account.account.write', [[found.id], { closed }], ctx);
          report.accountsUpdated++;
        }
        continue;
      }
      const spec = chart.accounts[account.code] ?? {};
      const path = spec.type ?? chart.typeByCanonicalType[account.type];
      const type = path ? typeId.get(path) : undefined;
      if (type === undefined) throw new Error(`tryton: no account type "${path}" for account ${account.code}`);
      const [id] = await client.read<number[]>(
        'model.account.account.create',
        [
          [
            {
              company,
              parent: root,
              code: account.code,
              name: account.name,
              type,
              closed,
              party_required: spec.partyRequired ?? false,
              reconcile: spec.reconcile ?? false,
            },
          ],
        ],
        ctx,
      );
      byCode.set(account.code, { id: id!, code: account.code, closed });
      report.accountsCreated++;
    }

    const taxAccount = byCode.get(chart.taxAccount);
    if (!taxAccount) throw new Error(`tryton: tax account ${chart.taxAccount} is not in the chart`);
    const taxes = await client.read<Array<{ name: string }>>(
      'model.account.tax.search_read',
      [[['company', '=', company]], 0, null, null, ['name']],
      ctx,
    );
    const taxNames = new Set(taxes.map((t) => t.name));
    for (const tax of data.taxCodes.filter((t) => t.legalEntities.includes(legalEntityId) && !taxNames.has(t.code))) {
      await client.read(
        'model.account.tax.create',
        [
          [
            {
              company,
              name: tax.code,
              description: tax.name,
              type: 'percentage',
              rate: trytonDecimal(tax.rate),
              invoice_account: taxAccount.id,
              credit_note_account: taxAccount.id,
            },
          ],
        ],
        ctx,
      );
      report.taxesCreated++;
    }

    // Journals are shared by the companies; the sequence that numbers a journal's moves is set per company (a
    // company-dependent value: read and written with the company in the context). Tryton's own journals number
    // every company's moves with one shared sequence; finsync's journal takes the same.
    const [general] = await client.read<Array<{ sequence: number | null }>>(
      'model.account.journal.search_read',
      [
        [
          ['type', '=', 'general'],
          ['code', '!=', chart.journal.code],
        ],
        0,
        1,
        [['id', 'ASC']],
        ['sequence'],
      ],
      ctx,
    );
    const sequence = general?.sequence ? { sequence: general.sequence } : {};
    const [journal] = await client.read<Array<{ id: number; sequence: number | null }>>(
      'model.account.journal.search_read',
      [[['code', '=', chart.journal.code]], 0, 1, null, ['sequence']],
      ctx,
    );
    if (!journal) {
      await client.read('model.account.journal.create', [[{ ...chart.journal, ...sequence }]], ctx);
      report.journalsCreated++;
    } else if (journal.sequence === null && general?.sequence) {
      await client.read('model.account.journal.write', [[journal.id], sequence], ctx);
      report.journalsCreated++;
    }

    // How an invoice is paid in Tryton (its pay wizard): into the company's bank account, through the cash journal.
    const methods = await client.read<number[]>(
      'model.account.invoice.payment.method.search',
      [
        [
          ['company', '=', company],
          ['name', '=', chart.invoicePaymentMethod.name],
        ],
        0,
        1,
        null,
      ],
      ctx,
    );
    if (!methods.length) {
      const bank = byCode.get(chart.invoicePaymentMethod.account);
      const [cash] = await client.read<number[]>(
        'model.account.journal.search',
        [[['type', '=', 'cash']], 0, 1, [['id', 'ASC']]],
        ctx,
      );
      if (!bank || cash === undefined)
        throw new Error(`tryton: no bank account or cash journal for company ${company}`);
      await client.read(
        'model.account.invoice.payment.method.create',
        [
          [
            {
              company,
              name: chart.invoicePaymentMethod.name,
              journal: cash,
              credit_account: bank.id,
              debit_account: bank.id,
              active: true,
            },
          ],
        ],
        ctx,
      );
      report.paymentMethodsCreated++;
    }

    // Payment journals (account_payment), one per currency: a payment is in its journal's currency.
    const paymentJournals = await client.read<Array<{ 'currency.': { code: string } }>>(
      'model.account.payment.journal.search_read',
      [[['company', '=', company]], 0, null, null, ['currency.code']],
      ctx,
    );
    const haveCurrencies = new Set(paymentJournals.map((j) => j['currency.'].code));
    for (const currency of data.currencies.filter((c) => !haveCurrencies.has(c.code))) {
      const [currencyId] = await client.read<number[]>(
        'model.currency.currency.search',
        [[['code', '=', currency.code]], 0, 1, null],
        ctx,
      );
      if (currencyId === undefined)
        throw new Error(`tryton: currency ${currency.code} is missing (stack/tryton/up.sh adds it)`);
      await client.read(
        'model.account.payment.journal.create',
        [
          [
            {
              name: `${chart.paymentJournalPrefix} ${currency.code}`,
              company,
              currency: currencyId,
              process_method: 'manual',
            },
          ],
        ],
        ctx,
      );
      report.paymentJournalsCreated++;
    }

    for (const period of data.accountingPeriods.filter(
      (p) => p.legalEntityId === legalEntityId && p.status === 'CLOSED',
    )) {
      const open = await client.read<number[]>(
        'model.account.period.search',
        [
          [
            ['company', '=', company],
            ['start_date', '=', trytonDate(period.startDate)],
            ['type', '=', 'standard'],
            ['state', '=', 'open'],
          ],
          0,
          null,
          null,
        ],
        ctx,
      );
      if (!open.length) continue;
      await client.read('model.account.period.close', [open], ctx);
      report.periodsClosed += open.length;
    }
  }
  return report;
}
