import { changeStatus } from './changeStatus';
import { checkPrincipal } from './checks/checkPrincipal';
import type { PostingPayload } from './Posting';
import type { PostingDeps } from './PostingDeps';
import type { Principal } from './Principal';
import { violation } from './postingRules';
import { withPosting, wrongStatus } from './withPosting';

/**
 * `rejectPosting(id, reason)`: PENDING_APPROVAL → REJECTED, by an approver who is not the preparer (the preparer
 * cancels instead), with the reason the preparer will read. A rejected posting frees its source document.
 */
export function rejectPosting(
  deps: PostingDeps,
  id: string,
  principal: Principal,
  reason: string,
): Promise<PostingPayload> {
  return withPosting(deps, id, async (db, row) => {
    if (row.status !== 'PENDING_APPROVAL') return wrongStatus(row, 'reject', 'PENDING_APPROVAL');
    const denied = checkPrincipal(deps.policy, principal, 'APPROVE', row.legal_entity_id, {
      value: '0',
      currency: row.currency.trim(),
    });
    if (denied.length) return denied;
    if (principal.subject === row.preparer) {
      return [
        violation('SEGREGATION_OF_DUTIES', 'id', { principal: principal.subject, postingId: row.id, action: 'reject' }),
      ];
    }
    if (!reason.trim()) return [violation('REJECTION_REASON', 'reason', { postingId: row.id })];
    return changeStatus(db, row, 'REJECTED', principal.subject, {
      decided: true,
      approver: principal.subject,
      decisionReason: reason.trim(),
    });
  });
}
