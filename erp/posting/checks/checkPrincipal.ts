import type { PostingPolicy, PostingPermission } from '../PostingPolicy';
import { limitFor, may } from '../PostingPolicy';
import type { Principal } from '../Principal';
import type { PostingUserError } from '../PostingUserError';
import { violation } from '../postingRules';

const ACTION: Record<PostingPermission, string> = { POST: 'post', APPROVE: 'approve', ADMINISTER: 'administer' };

/** The principal holds the permission for the entity, and its roles' limit covers the amount. */
export function checkPrincipal(
  policy: PostingPolicy,
  principal: Principal,
  permission: PostingPermission,
  legalEntityId: string,
  amount: { readonly value: string; readonly currency: string },
): PostingUserError[] {
  const action = ACTION[permission];
  if (!may(policy, principal, permission) || !principal.legalEntities.includes(legalEntityId)) {
    return [
      violation('PRINCIPAL_PERMITTED', null, { principal: principal.subject, action, legalEntity: legalEntityId }),
    ];
  }
  const limit = limitFor(policy, principal, permission, amount.currency);
  if (limit !== null && limit.lessThan(amount.value)) {
    return [
      violation('ROLE_AMOUNT_LIMIT', null, {
        amount: amount.value,
        currency: amount.currency,
        limit: limit.toFixed(2),
        principal: principal.subject,
        action,
      }),
    ];
  }
  return [];
}
