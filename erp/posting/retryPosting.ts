import { enqueuePosting } from '../sql/postingSql';
import { changeStatus } from './changeStatus';
import type { InvoicePostingBody } from './InvoicePostingBody';
import type { JournalPostingInput } from './JournalPostingInput';
import { loadInvoiceBody } from './loadInvoiceBody';
import { may } from './PostingPolicy';
import type { PostingPayload } from './Posting';
import type { PostingDeps } from './PostingDeps';
import type { Principal } from './Principal';
import { violation } from './postingRules';
import { validateInvoicePosting } from './validateInvoicePosting';
import { validateJournalPosting } from './validateJournalPosting';
import { withPosting, wrongStatus } from './withPosting';

/**
 * `retryPosting(id)`: sends a FAILED posting (the ERP refused it; someone fixed the cause there, such as reopening
 * a period) again, after validating its body anew: FAILED → APPROVED, back on the queue, its userErrors cleared.
 * A SUBMITTED posting waiting out its backoff after a transient error is made due now. By the preparer or an
 * approver of the entity.
 */
export function retryPosting(deps: PostingDeps, id: string, principal: Principal): Promise<PostingPayload> {
  return withPosting(deps, id, async (db, row) => {
    const allowed =
      principal.subject === row.preparer ||
      (may(deps.policy, principal, 'APPROVE') && principal.legalEntities.includes(row.legal_entity_id));
    if (!allowed) {
      return [
        violation('PRINCIPAL_PERMITTED', 'id', {
          principal: principal.subject,
          action: 'retry',
          legalEntity: row.legal_entity_id,
        }),
      ];
    }
    if (row.status === 'SUBMITTED') {
      await db.query(
        `update posting_queue set run_at = now() where posting_id = $1 and (locked_until is null or locked_until < now())`,
        [row.id],
      );
      return row;
    }
    if (row.status !== 'FAILED') return wrongStatus(row, 'retry', 'FAILED (or SUBMITTED and waiting to be sent again)');
    let userErrors;
    if (row.kind === 'JOURNAL') {
      ({ userErrors } = await validateJournalPosting(
        deps,
        db,
        row.body as JournalPostingInput,
        null,
        row.idempotency_key,
      ));
    } else {
      const body = row.body as InvoicePostingBody;
      const current = await loadInvoiceBody(db, deps.policy, body.canonicalInvoiceId);
      userErrors = await validateInvoicePosting(deps, db, body, current?.status ?? 'DELETED_AT_SOURCE', null);
    }
    if (userErrors.length) return userErrors;
    const next = await changeStatus(db, row, 'APPROVED', principal.subject, {
      userErrors: [],
      lastError: null,
      note: 'retry',
    });
    await enqueuePosting(db, row.id);
    return next;
  });
}
