import { Decimal } from '../../canonical-schema/money/Decimal';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Principal } from './Principal';

const amount = z.string().regex(/^\d+(\.\d+)?$/);
const PolicySchema = z.object({
  version: z.number().int().positive(),
  owner: z.string(),
  description: z.string(),
  approvalThresholds: z.record(z.string(), z.record(z.string(), amount)),
  roles: z.record(
    z.string(),
    z.object({ may: z.array(z.enum(['POST', 'APPROVE', 'ADMINISTER'])), limits: z.record(z.string(), amount) }),
  ),
  /** Individual approval limits (by subject), below their roles' limits: an approver may approve up to the lower. */
  approverLimits: z.record(z.string(), z.record(z.string(), amount)).default({}),
  controlAccounts: z.object({ ACCOUNTS_PAYABLE: z.string(), ACCOUNTS_RECEIVABLE: z.string() }),
});
/** The posting policy (data owned by finance, `postingPolicy.json`). */
export type PostingPolicy = z.infer<typeof PolicySchema>;
export type PostingPermission = 'POST' | 'APPROVE' | 'ADMINISTER';

/** Reads and checks the policy file; throws listing every problem. */
export function loadPostingPolicy(file = join(__dirname, 'postingPolicy.json')): PostingPolicy {
  const parsed = PolicySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `invalid posting policy (${file}):\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`,
    );
  }
  return parsed.data;
}

/** Whether the principal holds a role granting the permission. */
export function may(policy: PostingPolicy, principal: Principal, permission: PostingPermission): boolean {
  return principal.roles.some((r) => policy.roles[r]?.may.includes(permission));
}

/**
 * The largest amount the principal may post or approve in the currency, over its roles holding the permission:
 * `null` = no limit (a role with `ADMINISTER` and no limit for the currency), `'0'` when none allows it. An
 * approver's own limit (`approverLimits`) lowers what its roles allow it to approve, never raises it.
 */
export function limitFor(
  policy: PostingPolicy,
  principal: Principal,
  permission: PostingPermission,
  currency: string,
): Decimal | null {
  const byRole = roleLimitFor(policy, principal, permission, currency);
  const own = permission === 'APPROVE' ? policy.approverLimits[principal.subject]?.[currency] : undefined;
  if (own === undefined) return byRole;
  return byRole === null ? new Decimal(own) : Decimal.min(byRole, own);
}

function roleLimitFor(
  policy: PostingPolicy,
  principal: Principal,
  permission: PostingPermission,
  currency: string,
): Decimal | null {
  let best = new Decimal(0);
  for (const name of principal.roles) {
    const role = policy.roles[name];
    if (!role?.may.includes(permission)) continue;
    const limit = role.limits[currency];
    if (limit === undefined) {
      if (role.may.includes('ADMINISTER')) return null;
      continue;
    }
    if (best.lessThan(limit)) best = new Decimal(limit);
  }
  return best;
}

/** Whether a posting of this amount needs an approval: above the entity's threshold, or no threshold known. */
export function needsApproval(policy: PostingPolicy, legalEntityId: string, currency: string, value: string): boolean {
  const threshold = policy.approvalThresholds[legalEntityId]?.[currency];
  return threshold === undefined || new Decimal(value).greaterThan(threshold);
}
