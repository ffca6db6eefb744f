import type { Principal } from './Principal';

/**
 * What a principal may do, by role: the one table finsync's permissions are declared in (the subgraphs enforce
 * it, security/permissions.ts maps each GraphQL operation and sensitive field onto these). A principal has the
 * union of its roles' permissions, always within its own legal entities.
 */
export const PERMISSIONS = [
  /** Documents, master data, journals, postings: the reporting reads. */
  'read',
  /** Tax ids, IBANs and bank accounts in clear (else masked to the last 4 characters). */
  'read:sensitive',
  /** The exception work queue. */
  'read:exceptions',
  /** Audit trails. */
  'read:audit',
  /** Reconciliation reports. */
  'read:reconciliation',
  /** Records that belong to no legal entity (a poison message's exception, its audit rows). */
  'read:unscoped',
  /** Retry, resolve, ignore exceptions. */
  'act:exceptions',
  /** Master data: decide whether a supplier held as a duplicate is the same vendor or a distinct one. */
  'act:master-data',
  /** Prepare postings (journals, invoices into the ERP), retry or cancel them. */
  'post',
  /** Approve or reject postings held for approval (never one's own: segregation of duties). */
  'approve',
  /** Operate the flows: pause and resume them (controller and admin only). */
  'act:flows',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  viewer: ['read'],
  analyst: ['read', 'read:exceptions', 'read:audit', 'read:reconciliation'],
  accountant: [
    'read',
    'read:sensitive',
    'read:exceptions',
    'read:audit',
    'read:reconciliation',
    'act:exceptions',
    'post',
  ],
  approver: ['read', 'read:sensitive', 'read:exceptions', 'read:audit', 'read:reconciliation', 'approve'],
  /** Master-data steward: keeps the vendor golden record (duplicates same / distinct); sees tax ids and IBANs. */
  steward: ['read', 'read:sensitive', 'read:exceptions', 'read:audit', 'act:master-data'],
  /** Controller and admin: every permission. */
  controller: PERMISSIONS,
  admin: PERMISSIONS,
  /** Machine clients (a payroll release, an analytics export): read and post, nothing personal in clear. */
  service: ['read', 'read:exceptions', 'post'],
};

export const ROLES = Object.keys(ROLE_PERMISSIONS);

/** The principal's permissions: the union of its known roles' (an unknown role grants nothing). */
export function permissionsOf(principal: Principal): ReadonlySet<Permission> {
  return new Set(principal.roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
}

export function may(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).has(permission);
}
