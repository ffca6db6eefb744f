import type { Pool } from 'pg';
import { loadValidationRules } from '../../cdc/validation/validate';
import type { ErpConnector } from '../connector/ErpConnector';
import { selectPosting } from '../sql/postingSql';
import { acceptInvoicePosting } from './acceptInvoicePosting';
import { acceptJournalPosting } from './acceptJournalPosting';
import { approvePosting } from './approvePosting';
import { cancelPosting } from './cancelPosting';
import { toPosting, type Posting, type PostingPayload } from './Posting';
import { cachedReference, type PostingDeps } from './PostingDeps';
import { loadPostingPolicy, type PostingPolicy } from './PostingPolicy';
import type { Principal } from './Principal';
import { rejectPosting } from './rejectPosting';
import { retryPosting } from './retryPosting';

/** The posting functions a GraphQL resolver calls: each one line, `(args…, context.principal)`. */
export interface PostingService {
  acceptJournalPosting(
    input: unknown,
    principal: Principal,
    idempotencyKey: string,
    approval?: 'THRESHOLD' | 'ALWAYS',
  ): Promise<PostingPayload>;
  acceptInvoicePosting(
    canonicalInvoiceId: string,
    principal: Principal,
    idempotencyKey: string,
    /** ALWAYS: the posting waits for an approver whatever its amount (a flow whose policy is MANUAL). */
    approval?: 'THRESHOLD' | 'ALWAYS',
  ): Promise<PostingPayload>;
  approvePosting(id: string, principal: Principal): Promise<PostingPayload>;
  rejectPosting(id: string, principal: Principal, reason: string): Promise<PostingPayload>;
  retryPosting(id: string, principal: Principal): Promise<PostingPayload>;
  cancelPosting(id: string, principal: Principal): Promise<PostingPayload>;
  getPosting(id: string): Promise<Posting | null>;
}

export interface PostingServiceOptions {
  /** The canonical store, migrated (it holds `posting` and `posting_queue`). */
  readonly pool: Pool;
  /**
   * The ERP, asked for periods, accounts and parties while validating. Give it a short request timeout: when the
   * ERP does not answer, postings are accepted without those checks and queued.
   */
  readonly erp: ErpConnector;
  /** Default: `erp/posting/postingPolicy.json`. */
  readonly policy?: PostingPolicy;
  /** How long canonical reference data is reused. Default 5000 ms. */
  readonly referenceTtlMs?: number;
}

/** Builds the posting functions over one pool and one ERP connector. */
export function createPostingService(options: PostingServiceOptions): PostingService {
  const deps: PostingDeps = {
    pool: options.pool,
    erp: options.erp,
    policy: options.policy ?? loadPostingPolicy(),
    validationRules: loadValidationRules(),
    reference: cachedReference(options.referenceTtlMs ?? 5_000),
  };
  return {
    acceptJournalPosting: (input, principal, key, approval) =>
      acceptJournalPosting(deps, input, principal, key, approval),
    acceptInvoicePosting: (id, principal, key, approval) => acceptInvoicePosting(deps, id, principal, key, approval),
    approvePosting: (id, principal) => approvePosting(deps, id, principal),
    rejectPosting: (id, principal, reason) => rejectPosting(deps, id, principal, reason),
    retryPosting: (id, principal) => retryPosting(deps, id, principal),
    cancelPosting: (id, principal) => cancelPosting(deps, id, principal),
    getPosting: async (id) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const row = await selectPosting(options.pool, id);
      return row ? toPosting(row) : null;
    },
  };
}
