/**
 * The reference data in `reference.json`, checked and typed: legal entities, currencies, the chart of accounts,
 * dimensions, tax codes, code translations and accounting periods. The generator sticks to it; the canonical side
 * holds exactly these records.
 */
import { z } from 'zod';
import referenceJson from './reference.json';

const status = z.enum(['ACTIVE', 'INACTIVE']);
const legalEntities = z.array(z.string()).min(1);
const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const referenceSchema = z.object({
  version: z.number().int().positive(),
  description: z.string(),
  legalEntities: z.array(
    z.object({ id: z.string(), name: z.string(), country: z.string().length(2), baseCurrency: z.string().length(3) }),
  ),
  currencies: z.array(z.object({ code: z.string().length(3), name: z.string(), minorUnits: z.number().int() })),
  accounts: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      type: z.enum(['ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE']),
      status,
      allowsPosting: z.boolean(),
      requiredDimensions: z.array(z.enum(['DEPARTMENT', 'COST_CENTER', 'PROJECT', 'LOCATION'])),
      legalEntities,
    }),
  ),
  dimensions: z.array(
    z.object({
      type: z.enum(['DEPARTMENT', 'COST_CENTER', 'PROJECT', 'LOCATION']),
      code: z.string(),
      name: z.string(),
      status,
      legalEntities,
    }),
  ),
  taxCodes: z.array(z.object({ code: z.string(), name: z.string(), rate: decimal, status, legalEntities })),
  codeTranslations: z.array(
    z.object({
      domain: z.string(),
      sourceSystem: z.string(),
      sourceCode: z.string(),
      targetType: z.string(),
      targetCode: z.string(),
      version: z.number().int(),
    }),
  ),
  accountingPeriods: z.array(
    z.object({
      legalEntityId: z.string(),
      fiscalYear: z.number().int(),
      periodNumber: z.number().int().min(1).max(13),
      code: z.string(),
      startDate: isoDate,
      endDate: isoDate,
      status: z.enum(['OPEN', 'CLOSED']),
    }),
  ),
});

export type Reference = z.infer<typeof referenceSchema>;

export const reference: Reference = referenceSchema.parse(referenceJson);

/** The tax rate of a code, as a decimal string ("0.19"). Throws for a code the reference does not know. */
export function taxRate(code: string): string {
  const tax = reference.taxCodes.find((t) => t.code === code);
  if (!tax) throw new Error(`reference.json has no tax code ${code}`);
  return tax.rate;
}

/** The accounting period a date falls in for a legal entity, if any. ISO dates compare as strings. */
export function periodOf(legalEntityId: string, date: string): Reference['accountingPeriods'][number] | undefined {
  return reference.accountingPeriods.find(
    (p) => p.legalEntityId === legalEntityId && p.startDate <= date && date <= p.endDate,
  );
}
