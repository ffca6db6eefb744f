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
  periodsClosed: number;
}

/**
 * Makes Tryton hold finsync's reference data for every legal entity kept there, so that a posting names the same
 * account codes, tax codes and period states on both sides: the chart's accounts (by code; inactive ones closed),
 * a tax per tax code, finsync's general journal, and the periods the reference marks CLOSED closed in Tryton too
 * (FS-EU's 2025). Idempotent: what exists is left alone; nothing is deleted.
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
    periodsClosed: 0,
  };
  const types = await client.read<Array<{ id: number; name: string; 'parent.': { name: string } | null }>>(
    'model.account.account.type.search_read',
    [[], 0, null, null, ['name', 'parent.name']],
  );
  const typeId = new Map(types.map((t) => [`${t['parent.']?.name ?? ''}/${t.name}`, t.id]));

  for (const [legalEntityId, company] of Object.entries(companies)) {
    const ctx = { company };
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

    const journals = await client.read<number[]>('model.account.journal.search', [
      [['code', '=', chart.journal.code]],
      0,
      1,
      null,
    ]);
    if (!journals.length) {
      // A journal numbers its moves with a sequence: the one Tryton's own general journal uses.
      const [general] = await client.read<Array<{ sequence: number | null }>>(
        'model.account.journal.search_read',
        [[['type', '=', 'general']], 0, 1, [['id', 'ASC']], ['sequence']],
        ctx,
      );
      await client.read(
        'model.account.journal.create',
        [[{ ...chart.journal, ...(general?.sequence ? { sequence: general.sequence } : {}) }]],
        ctx,
      );
      report.journalsCreated++;
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
