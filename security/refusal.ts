import { FEDERATION_FIELDS, OPERATION_PERMISSIONS, SENSITIVE_ARGUMENTS } from './permissions';
import type { Principal } from './Principal';
import { may, type Permission } from './roles';

/**
 * Whether a principal may run one GraphQL field (`Type.field`) with its arguments: the rule the subgraphs enforce
 * on every root field and listed field (subgraphs/shared/secureResolvers.ts), and the gateway checks before a
 * subscriber joins a shared subscription (gateway/subscriptions/), so both decide alike.
 *
 * The refusal texts name the roles and the legal entity, never the principal: they travel in results that a shared
 * subscription sends to every subscriber of the same scope (the audit row of a refusal names the principal).
 */

/** Queries and subscriptions need `read` unless listed; an unlisted mutation needs a permission nobody has. */
export function requiredPermission(type: string, coordinate: string): Permission | null | 'NOBODY' {
  if (coordinate in FEDERATION_FIELDS) return FEDERATION_FIELDS[coordinate]!;
  if (coordinate in OPERATION_PERMISSIONS) return OPERATION_PERMISSIONS[coordinate]!;
  return type === 'Mutation' ? 'NOBODY' : 'read';
}

/** Why the principal may not run the operation with these arguments, or null. */
export function refusalOf(
  coordinate: string,
  permission: Permission | null | 'NOBODY',
  args: Record<string, unknown>,
  principal: Principal,
): string | null {
  if (permission === 'NOBODY') return `${coordinate} is not open to any role`;
  if (permission && !may(principal, permission)) {
    const roles = principal.roles.length ? `roles ${principal.roles.join(', ')}` : 'no role';
    return `A principal with ${roles} may not use ${coordinate}: it needs the ${permission} permission`;
  }
  for (const le of legalEntityArgs(args)) {
    if (!principal.legalEntities.includes(le)) return `Legal entity ${le} is not one this principal may see or act for`;
  }
  for (const path of SENSITIVE_ARGUMENTS[coordinate] ?? []) {
    if (valueAt(args, path) !== undefined && valueAt(args, path) !== null && !may(principal, 'read:sensitive')) {
      return `Searching by ${path.split('.').pop()} needs the read:sensitive permission`;
    }
  }
  return null;
}

/** Every value of an argument named `legalEntityId`, at any depth (a filter's list included). */
function legalEntityArgs(value: unknown, key = ''): string[] {
  if (key === 'legalEntityId') {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  }
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => legalEntityArgs(v, k));
  }
  return [];
}

function valueAt(args: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), args);
}
