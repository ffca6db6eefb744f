import { enqueuePosting } from '../sql/postingSql';
import { changeStatus } from './changeStatus';
import { checkPrincipal } from './checks/checkPrincipal';
import type { PostingPayload } from './Posting';
import type { PostingDeps } from './PostingDeps';
import type { Principal } from './Principal';
import { violation } from './postingRules';
import { withPosting, wrongStatus } from './withPosting';

/**
 * `approvePosting(id)`: PENDING_APPROVAL → APPROVED and onto the worker's queue. The approver is the principal:
 * it must hold an approving role for the entity with a limit covering the amount, and must not be the preparer.
 */
export function approvePosting(deps: PostingDeps, id: string, principal: Principal): Promise<PostingPayload> {
  return withPosting(deps, id, async (db, row) => {
    if (row.status !== 'PENDING_APPROVAL') return wrongStatus(row, 'approve', 'PENDING_APPROVAL');
    const denied = checkPrincipal(deps.policy, principal, 'APPROVE', row.legal_entity_id, {
      value: row.amount,
      currency: row.currency.trim(),
    });
    if (denied.length) return denied;
    if (principal.subject === row.preparer) {
      return [
        violation('SEGREGATION_OF_DUTIES', 'id', {
          principal: principal.subject,
          postingId: row.id,
          action: 'approve',
        }),
      ];
    }
    const next = await changeStatus(db, row, 'APPROVED', principal.subject, {
      decided: true,
      approver: principal.subject,
    });
    await enqueuePosting(db, row.id);
    return next;
  });
}
