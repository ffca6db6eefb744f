import { Decimal } from '../money/Decimal';
import { z } from 'zod';
import { ENUMS } from './enums';

/**
 * What the ERP's side mapping rules (`cdc/mapping/rules/erp.account_invoice*.json`, `erp.account_payment.json`)
 * produce from one of Tryton's rows: the document as Tryton holds it. Tryton's ids stay as they are (text): the
 * rows refer to each other by them, and the apply step links them once both sides are there.
 */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number written as a string');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** Tryton's ids arrive as integers; they are kept as text, like every source id. */
const sourceId = z.union([z.string().min(1), z.number().int()]).transform(String);
/** A float column (Tryton's quantities): its exact decimal digits, never a float past this point. */
const floatDecimal = z
  .union([z.number().finite(), decimal])
  .transform((v) => (typeof v === 'number' ? new Decimal(v).toFixed() : v));
/** A timestamp without zone (`YYYY-MM-DDTHH:MM:SS…`) → its date. */
const dateOf = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/)
  .transform((s) => s.slice(0, 10));

export const ErpInvoiceCandidate = z.object({
  legalEntityId: z.string().min(1, 'is required'),
  type: z.enum(ENUMS['erp_invoice.type']),
  number: z.string().nullable(),
  reference: z.string().nullable(),
  description: z.string().nullable(),
  state: z.string().min(1, 'is required'),
  status: z.enum(ENUMS['erp_invoice.status']),
  currency,
  invoiceDate: isoDate.nullable(),
  accountingDate: isoDate.nullable(),
  createdOn: dateOf.nullable(),
  partySourceId: sourceId,
  moveSourceId: sourceId.nullable(),
});
export type ErpInvoiceCandidate = z.infer<typeof ErpInvoiceCandidate>;

export const ErpInvoiceLineCandidate = z.object({
  invoiceSourceId: sourceId.nullable(),
  lineType: z.string().min(1, 'is required'),
  sequence: z.number().int().nullable(),
  description: z.string().nullable(),
  accountSourceId: sourceId.nullable(),
  quantity: floatDecimal.nullable(),
  unitPrice: decimal.nullable(),
  currency: currency.nullable(),
});
export type ErpInvoiceLineCandidate = z.infer<typeof ErpInvoiceLineCandidate>;

export const ErpInvoiceTaxCandidate = z.object({
  invoiceSourceId: sourceId,
  description: z.string().nullable(),
  base: decimal,
  amount: decimal,
});
export type ErpInvoiceTaxCandidate = z.infer<typeof ErpInvoiceTaxCandidate>;

export const ErpPaymentCandidate = z.object({
  legalEntityId: z.string().min(1, 'is required'),
  direction: z.enum(ENUMS['erp_payment.direction']),
  state: z.string().min(1, 'is required'),
  status: z.enum(ENUMS['erp_payment.status']),
  amount: decimal,
  paymentDate: isoDate,
  description: z.string().nullable(),
  partySourceId: sourceId,
  lineSourceId: sourceId.nullable(),
});
export type ErpPaymentCandidate = z.infer<typeof ErpPaymentCandidate>;
