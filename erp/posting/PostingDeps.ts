import type { Pool } from 'pg';
import type { Db } from '../../canonical-schema/Db';
import { loadReferenceCache, type ReferenceCache } from '../../cdc/apply/loadReferenceCache';
import type { ValidationRuleSet } from '../../cdc/validation/validate';
import type { ErpConnector } from '../connector/ErpConnector';
import type { PostingPolicy } from './PostingPolicy';

/** What the posting functions need; `createPostingService` builds it once per process. */
export interface PostingDeps {
  /** The canonical store (with the posting tables). */
  readonly pool: Pool;
  /** Asked for its periods, accounts and parties before a posting is accepted (when it answers). */
  readonly erp: ErpConnector;
  readonly policy: PostingPolicy;
  /** The finance rules of cdc/validation (balanced, accounts, dimensions, period, dates, currency, tax codes). */
  readonly validationRules: ValidationRuleSet;
  /** The canonical reference data (chart, dimensions, periods, tax codes), reloaded after `referenceTtlMs`. */
  reference(db: Db): Promise<ReferenceCache>;
}

/** Canonical reference data read once per `ttlMs` (it changes rarely; validation reads it per line). */
export function cachedReference(ttlMs: number): (db: Db) => Promise<ReferenceCache> {
  let cached: { at: number; value: Promise<ReferenceCache> } | null = null;
  return (db) => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const value = loadReferenceCache(db);
      cached = { at: Date.now(), value };
      value.catch(() => (cached = null));
    }
    return cached.value;
  };
}
