import type { Permission } from './roles';

/**
 * Which permission each GraphQL operation and field needs (coordinates `Type.field`), enforced in the subgraphs
 * (subgraphs/shared/secureResolvers.ts). Queries and subscriptions not listed need `read`; a mutation not listed is
 * refused (closed by default). Every operation is also limited to the principal's legal entities: by row-level
 * security in the canonical store, and by refusing a `legalEntityId` argument outside them.
 */
export const OPERATION_PERMISSIONS: Readonly<Record<string, Permission>> = {
  'Query.reconciliationFlows': 'read:reconciliation',
  'Query.reconciliation': 'read:reconciliation',
  'Query.reconciliations': 'read:reconciliation',
  'Query.exceptions': 'read:exceptions',
  'Query.exception': 'read:exceptions',
  'Query.auditTrail': 'read:audit',
  'Query.exceptionAging': 'read:exceptions',
  'Query.exceptionCountsByHour': 'read:exceptions',
  // Which source systems are how far behind: operational, no business data; every reader may see it.
  'Query.cdcFreshness': 'read',
  'Subscription.exceptionStatusChanged': 'read:exceptions',
  'Subscription.exceptionRaised': 'read:exceptions',
  'Subscription.reconciliationChanged': 'read:reconciliation',
  'Mutation.retryException': 'act:exceptions',
  'Mutation.resolveException': 'act:exceptions',
  'Mutation.ignoreException': 'act:exceptions',
  'Mutation.resolveDuplicateVendor': 'act:master-data',
  'Mutation.assignException': 'act:exceptions',
  'Mutation.postJournalEntry': 'post',
  'Mutation.postInvoice': 'post',
  'Mutation.retryPosting': 'post',
  'Mutation.cancelPosting': 'post',
  'Mutation.approvePosting': 'approve',
  'Mutation.pauseFlow': 'act:flows',
  'Mutation.resumeFlow': 'act:flows',
  'Mutation.rejectPosting': 'approve',
  // Fields one subgraph adds to another's entities.
  'Invoice.reconciliation': 'read:reconciliation',
  'Payment.reconciliation': 'read:reconciliation',
  'JournalEntry.reconciliation': 'read:reconciliation',
  'Vendor.reconciliation': 'read:reconciliation',
};

/** Fields shown only with `read:sensitive`; everyone else sees the last 4 characters. */
export const MASKED_FIELDS: readonly string[] = ['Vendor.taxId', 'Vendor.iban', 'Customer.taxId'];

/**
 * Texts that can quote a tax id or IBAN (an exception's message about a duplicate vendor, the source row it keeps,
 * an audit row's details): without `read:sensitive` the values found in the record, and any IBAN, are masked.
 */
export const MASKED_TEXT_FIELDS: readonly string[] = [
  'Exception.message',
  'Exception.sourceEvent',
  'AuditEvent.detail',
  'ExceptionActionRecord.reason',
];

/** Arguments that search by a sensitive value (a masked reader could otherwise probe for it): need `read:sensitive`. */
export const SENSITIVE_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  'Query.vendors': ['filter.taxId'],
  'Query.customers': ['filter.taxId'],
};

/** Federation's own fields: `_service` (the gateway reads the schema) needs only a valid token. */
export const FEDERATION_FIELDS: Readonly<Record<string, Permission | null>> = {
  'Query._service': null,
  'Query._entities': 'read',
};
