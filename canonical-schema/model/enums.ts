/**
 * The canonical status and type vocabularies. The SQL CHECK constraints in `migrations/` must list exactly
 * these values; `enums.db.test.ts` compares them against the migrated database, so the two cannot drift.
 * Names follow the unified accounting APIs (Merge, Codat) where they exist.
 */
export const ENUMS = {
  'accounting_period.status': ['OPEN', 'CLOSED'],
  'account.type': ['ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE'],
  'account.status': ['ACTIVE', 'INACTIVE'],
  'dimension.type': ['DEPARTMENT', 'COST_CENTER', 'PROJECT', 'LOCATION'],
  'dimension.status': ['ACTIVE', 'INACTIVE'],
  'tax_code.status': ['ACTIVE', 'INACTIVE'],
  'vendor.status': ['ACTIVE', 'INACTIVE', 'PENDING', 'BLOCKED'],
  'customer.status': ['ACTIVE', 'INACTIVE', 'ARCHIVED'],
  'invoice.type': ['ACCOUNTS_PAYABLE', 'ACCOUNTS_RECEIVABLE'],
  'invoice.status': ['DRAFT', 'SUBMITTED', 'AUTHORIZED', 'OPEN', 'PARTIALLY_PAID', 'PAID', 'VOID'],
  'payment.direction': ['OUTBOUND', 'INBOUND'],
  'payment.status': ['PENDING', 'SETTLED', 'FAILED', 'VOID'],
  'journal_entry.journal_type': ['GENERAL', 'PAYROLL', 'ACCRUAL', 'INVOICE', 'PAYMENT'],
  'journal_entry.posting_status': [
    'DRAFT',
    'PENDING_APPROVAL',
    'APPROVED',
    'SUBMITTED',
    'POSTED',
    'REJECTED',
    'FAILED',
  ],
  'exception.severity': ['ERROR', 'WARNING'],
  'exception.status': ['OPEN', 'RESOLVED', 'IGNORED'],
  'audit_event.stage': [
    'RECEIVED',
    'TRANSFORMED',
    'VALIDATED',
    'APPLIED',
    'PARKED',
    'RELEASED',
    'REJECTED',
    'SKIPPED',
    'POSTING',
    'ACCESS_DENIED',
    'MUTATION',
  ],
  'source_reference.role': ['SOURCE', 'TARGET'],
  'posting.kind': ['JOURNAL', 'INVOICE'],
  'posting.status': ['DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'SUBMITTED', 'POSTED', 'REJECTED', 'FAILED', 'CANCELLED'],
  'posting.confirmation_status': ['PENDING', 'CONFIRMED', 'MISMATCH'],
  'exception_action.action': ['RETRY', 'RESOLVE', 'IGNORE', 'SAME_VENDOR', 'DISTINCT_VENDOR', 'ASSIGN'],
  'vendor_onboarding.state': ['CHECKS_PENDING', 'CHECKS_FAILED', 'PARTY_REQUESTED', 'ACTIVATED'],
  'flow_state.state': ['RUNNING', 'PAUSED'],
  'flow_document.state': ['WAITING', 'IN_PROGRESS', 'DONE', 'FAILED'],
  'vendor_match_decision.decision': ['SAME', 'DISTINCT'],
  'erp_invoice.type': ['ACCOUNTS_PAYABLE', 'ACCOUNTS_RECEIVABLE'],
  'erp_invoice.status': ['DRAFT', 'SUBMITTED', 'AUTHORIZED', 'OPEN', 'PARTIALLY_PAID', 'PAID', 'VOID'],
  'erp_invoice.role': ['SOURCE', 'TARGET'],
  'erp_payment.direction': ['OUTBOUND', 'INBOUND'],
  'erp_payment.status': ['PENDING', 'SETTLED', 'FAILED', 'VOID'],
  'erp_payment.role': ['SOURCE', 'TARGET'],
} as const;

export type VendorStatus = (typeof ENUMS)['vendor.status'][number];
export type CustomerStatus = (typeof ENUMS)['customer.status'][number];
export type InvoiceType = (typeof ENUMS)['invoice.type'][number];
export type InvoiceStatus = (typeof ENUMS)['invoice.status'][number];
export type PaymentStatus = (typeof ENUMS)['payment.status'][number];
export type PostingStatus = (typeof ENUMS)['journal_entry.posting_status'][number];
export type DimensionType = (typeof ENUMS)['dimension.type'][number];
export type AuditStage = (typeof ENUMS)['audit_event.stage'][number];
/** A posting's lifecycle: DRAFT → PENDING_APPROVAL → APPROVED → SUBMITTED → POSTED | REJECTED | FAILED, or CANCELLED. */
export type PostingLifecycleStatus = (typeof ENUMS)['posting.status'][number];
export type PostingKind = (typeof ENUMS)['posting.kind'][number];

/** The canonical object types, as stored in source_reference.object_type, exceptions and the outbox. */
export const OBJECT_TYPES = [
  'VENDOR',
  'CUSTOMER',
  'INVOICE',
  'INVOICE_LINE',
  'PAYMENT',
  'JOURNAL_ENTRY',
  'JOURNAL_LINE',
  'ACCOUNT',
  'ACCOUNTING_PERIOD',
  // The ERP's side (erp_invoice, …): the rows of Tryton's documents as Tryton holds them, linked to the canonical
  // record they are the ERP's copy of (or became). Their source rows' references name these until linked.
  'ERP_INVOICE',
  'ERP_INVOICE_LINE',
  'ERP_INVOICE_TAX',
  'ERP_PAYMENT',
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** The object types of the ERP's side: their changes are kept as the ERP holds them (`cdc/apply/erp/`). */
export const ERP_SIDE_TYPES = ['ERP_INVOICE', 'ERP_INVOICE_LINE', 'ERP_INVOICE_TAX', 'ERP_PAYMENT'] as const;
export type ErpSideType = (typeof ERP_SIDE_TYPES)[number];
export const isErpSideType = (t: ObjectType): t is ErpSideType => (ERP_SIDE_TYPES as readonly string[]).includes(t);
