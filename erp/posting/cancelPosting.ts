import { dequeuePosting, lockQueueRow } from '../sql/postingSql';
import { changeStatus } from './changeStatus';
import { may } from './PostingPolicy';
import type { PostingPayload } from './Posting';
import type { PostingDeps } from './PostingDeps';
import type { Principal } from './Principal';
import { violation } from './postingRules';
import { withPosting, wrongStatus } from './withPosting';

const CANCELLABLE = new Set(['DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'FAILED']);

/**
 * `cancelPosting(id)`: withdraws a posting that has not reached the ERP (DRAFT, PENDING_APPROVAL, APPROVED while no
 * worker holds it, or FAILED), by its preparer or an approver of the entity. A posting that a worker is sending
 * (SUBMITTED, or its queue row leased) cannot be cancelled: the ERP may already hold it.
 */
export function cancelPosting(deps: PostingDeps, id: string, principal: Principal): Promise<PostingPayload> {
  return withPosting(deps, id, async (db, row) => {
    const allowed =
      principal.subject === row.preparer ||
      (may(deps.policy, principal, 'APPROVE') && principal.legalEntities.includes(row.legal_entity_id));
    if (!allowed) {
      return [
        violation('PRINCIPAL_PERMITTED', 'id', {
          principal: principal.subject,
          action: 'cancel',
          legalEntity: row.legal_entity_id,
        }),
      ];
    }
    if (row.status === 'SUBMITTED') {
      return [
        violation('NOT_IN_FLIGHT', 'id', { postingId: row.id, erp: row.erp_system ?? 'the ERP', action: 'cancelled' }),
      ];
    }
    if (!CANCELLABLE.has(row.status)) return wrongStatus(row, 'cancel', 'DRAFT, PENDING_APPROVAL, APPROVED or FAILED');
    const queued = await lockQueueRow(db, row.id);
    if (queued === 'HELD') {
      return [
        violation('NOT_IN_FLIGHT', 'id', { postingId: row.id, erp: row.erp_system ?? 'the ERP', action: 'cancelled' }),
      ];
    }
    if (queued === 'FREE') await dequeuePosting(db, row.id);
    return changeStatus(db, row, 'CANCELLED', principal.subject);
  });
}
