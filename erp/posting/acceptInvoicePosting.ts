import { bodyHash } from './bodyHash';
import { acceptPosting } from './acceptPosting';
import { loadInvoiceBody } from './loadInvoiceBody';
import type { PostingPayload } from './Posting';
import type { PostingDeps } from './PostingDeps';
import type { Principal } from './Principal';
import { violation } from './postingRules';
import { validateInvoicePosting } from './validateInvoicePosting';

/**
 * `postInvoice(id)`: pushes a canonical invoice (from billing or procurement) into the ERP as a supplier or customer
 * invoice. The body is the invoice as it is now (kept on the posting); its hash covers only the invoice id, so the
 * same key for the same invoice returns the same posting even after the canonical invoice changed. One live
 * posting per invoice.
 */
export async function acceptInvoicePosting(
  deps: PostingDeps,
  canonicalInvoiceId: string,
  principal: Principal,
  idempotencyKey: string,
  approval: 'THRESHOLD' | 'ALWAYS' = 'THRESHOLD',
): Promise<PostingPayload> {
  const loaded = await loadInvoiceBody(deps.pool, deps.policy, canonicalInvoiceId);
  if (!loaded) {
    return {
      posting: null,
      userErrors: [violation('POSTING_EXISTS', 'id', { what: 'canonical invoice', id: canonicalInvoiceId })],
    };
  }
  const { body } = loaded;
  return acceptPosting(deps, principal, idempotencyKey, {
    kind: 'INVOICE',
    legalEntityId: body.legalEntityId,
    body,
    bodyHash: bodyHash({ canonicalInvoiceId }),
    amount: body.totalAmount,
    currency: body.currency,
    sourceDocument: { type: 'INVOICE', id: canonicalInvoiceId, label: `Invoice ${body.number}` },
    correlationId: loaded.correlationId,
    approval,
    validate: (db) => validateInvoicePosting(deps, db, body, loaded.status, principal),
  });
}
