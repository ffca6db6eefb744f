import { bodyHash } from './bodyHash';
import { acceptPosting } from './acceptPosting';
import { parseJournalInput } from './JournalPostingInput';
import type { PostingPayload } from './Posting';
import type { PostingDeps } from './PostingDeps';
import type { Principal } from './Principal';
import { journalAmount, validateJournalPosting } from './validateJournalPosting';

/**
 * `postJournalEntry(input, idempotencyKey)`: validates a manual or system journal and accepts it — queued for
 * the ERP when within the entity's approval threshold, PENDING_APPROVAL above it. Errors come back as data.
 * The preparer is the principal, never an input field.
 */
export async function acceptJournalPosting(
  deps: PostingDeps,
  input: unknown,
  principal: Principal,
  idempotencyKey: string,
  approval: 'THRESHOLD' | 'ALWAYS' = 'THRESHOLD',
): Promise<PostingPayload> {
  const parsed = parseJournalInput(input);
  if (!parsed.ok) return { posting: null, userErrors: parsed.userErrors };
  const journal = parsed.value;
  return acceptPosting(deps, principal, idempotencyKey, {
    kind: 'JOURNAL',
    legalEntityId: journal.legalEntityId,
    body: journal,
    bodyHash: bodyHash(journal),
    amount: journalAmount(journal),
    currency: journal.currency,
    sourceDocument: journal.sourceDocument
      ? { ...journal.sourceDocument, label: `${journal.sourceDocument.type} ${journal.sourceDocument.id}` }
      : null,
    correlationId: null,
    approval,
    validate: async (db) => (await validateJournalPosting(deps, db, journal, principal, idempotencyKey)).userErrors,
  });
}
