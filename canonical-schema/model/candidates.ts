import { z } from 'zod';
import { ENUMS } from './enums';

/**
 * What a mapping rule produces from one source row, before references are resolved and finance rules run:
 * one zod schema per canonical object. Types are inferred from the schemas, so the runtime check and the
 * TypeScript type are one declaration. Money is a decimal string (`Decimal` parses it); never a number.
 */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number written as a string');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const legalEntity = z.string().min(1, 'is required');

export const VendorCandidate = z.object({
  legalEntityId: legalEntity,
  name: z.string().min(1, 'is required'),
  taxId: z.string().nullable(),
  iban: z.string().nullable(),
  email: z.string().nullable(),
  currency: currency.nullable(),
  /** ISO 3166 alpha-2; the tax id and IBAN are checked for it. Sources that do not hold it leave it null. */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code')
    .nullable()
    .default(null),
  status: z.enum(ENUMS['vendor.status']),
});
export type VendorCandidate = z.infer<typeof VendorCandidate>;

export const CustomerCandidate = z.object({
  legalEntityId: legalEntity,
  name: z.string().min(1, 'is required'),
  taxId: z.string().nullable(),
  email: z.string().nullable(),
  currency: currency.nullable(),
  status: z.enum(ENUMS['customer.status']),
});
export type CustomerCandidate = z.infer<typeof CustomerCandidate>;

export const InvoiceCandidate = z.object({
  legalEntityId: legalEntity,
  type: z.enum(ENUMS['invoice.type']),
  isCreditNote: z.boolean(),
  number: z.string().min(1, 'is required'),
  /** Canonical id of the vendor (AP) or customer (AR), resolved from the source reference. */
  counterpartyId: z.string().uuid(),
  issueDate: isoDate,
  dueDate: isoDate.nullable(),
  currency,
  subTotal: decimal,
  totalTaxAmount: decimal,
  totalAmount: decimal,
  status: z.enum(ENUMS['invoice.status']),
  memo: z.string().nullable(),
});
export type InvoiceCandidate = z.infer<typeof InvoiceCandidate>;

export const InvoiceLineCandidate = z.object({
  invoiceId: z.string().uuid(),
  lineNumber: z.number().int().positive(),
  description: z.string().nullable(),
  quantity: decimal,
  unitPrice: decimal,
  totalAmount: decimal,
  accountCode: z.string().nullable(),
  taxCode: z.string().nullable(),
  /** Dimension type → code, e.g. { COST_CENTER: 'CC-100' }. */
  dimensions: z.record(z.string(), z.string()),
});
export type InvoiceLineCandidate = z.infer<typeof InvoiceLineCandidate>;

export const PaymentCandidate = z.object({
  legalEntityId: legalEntity,
  direction: z.enum(ENUMS['payment.direction']),
  counterpartyId: z.string().uuid(),
  invoiceId: z.string().uuid(),
  paymentDate: isoDate,
  currency,
  totalAmount: decimal,
  reference: z.string().nullable(),
  status: z.enum(ENUMS['payment.status']),
});
export type PaymentCandidate = z.infer<typeof PaymentCandidate>;

export const JournalLineCandidate = z.object({
  lineNumber: z.number().int().positive(),
  accountCode: z.string().min(1, 'is required'),
  description: z.string().nullable(),
  debit: decimal,
  credit: decimal,
  dimensions: z.record(z.string(), z.string()),
});
export type JournalLineCandidate = z.infer<typeof JournalLineCandidate>;

export const JournalEntryCandidate = z.object({
  legalEntityId: legalEntity,
  journalType: z.enum(ENUMS['journal_entry.journal_type']),
  number: z.string().min(1, 'is required'),
  transactionDate: isoDate,
  currency,
  memo: z.string().nullable(),
  postingStatus: z.enum(ENUMS['journal_entry.posting_status']),
  /** What kind of document the journal records (PAYROLL_RUN, INVOICE, ERP_MOVE …). */
  sourceDocumentType: z.string().min(1).default('PAYROLL_RUN'),
  /**
   * The lines, when the source sends them inside the journal (payroll). Absent when they arrive as their own
   * rows (the ERP's move lines, `JournalEntryLineCandidate`): the journal's lines are then left as they are.
   */
  lines: z.array(JournalLineCandidate).min(1, 'needs at least one line').optional(),
});
export type JournalEntryCandidate = z.infer<typeof JournalEntryCandidate>;

/** A journal line that arrives as its own source row (the ERP's `account_move_line`). */
export const JournalEntryLineCandidate = z.object({
  /** Canonical id of the journal entry, resolved from the source reference. */
  journalEntryId: z.string().uuid(),
  lineNumber: z.number().int().positive(),
  /** Canonical id of the account, resolved from the source reference of the ERP's account. */
  accountId: z.string().uuid(),
  description: z.string().nullable(),
  debit: decimal,
  credit: decimal,
  dimensions: z.record(z.string(), z.string()).default({}),
  /** The line's amount in another currency than the journal's (the ERP's foreign-currency move lines), signed. */
  secondCurrency: currency.nullable().optional(),
  amountSecondCurrency: decimal.nullable().optional(),
});
export type JournalEntryLineCandidate = z.infer<typeof JournalEntryLineCandidate>;

/** An account of a legal entity's chart, as the ERP holds it. */
export const AccountCandidate = z.object({
  legalEntityId: legalEntity,
  code: z.string().min(1, 'is required'),
  name: z.string().min(1, 'is required'),
  status: z.enum(ENUMS['account.status']),
  /** Null when the source does not say: an existing account keeps its type. */
  type: z.enum(ENUMS['account.type']).nullable(),
});
export type AccountCandidate = z.infer<typeof AccountCandidate>;

/** An accounting period of a legal entity, open or closed, as the ERP holds it. */
export const AccountingPeriodCandidate = z.object({
  legalEntityId: legalEntity,
  fiscalYear: z.number().int().min(2000).max(2100),
  periodNumber: z.number().int().min(1).max(13),
  startDate: isoDate,
  endDate: isoDate,
  status: z.enum(ENUMS['accounting_period.status']),
});
export type AccountingPeriodCandidate = z.infer<typeof AccountingPeriodCandidate>;
