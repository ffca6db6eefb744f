import type { Logger } from 'pino';
import type { Principal } from '../../security/Principal';
import type { AccessAudit } from './auditAccess';
import type { Db, RequestStats } from './Db';

/**
 * What every resolver of a subgraph receives, built once per HTTP request or per subscription (graphql-ws
 * operation). `authorization` and `correlationId` come from the gateway (headers `authorization` and
 * `x-correlation-id`, or the graphql-ws connection params), so per-principal rules can be enforced here.
 */
export interface RequestContext<L> {
  readonly subgraph: string;
  /** The caller's `Authorization` header, as the gateway forwarded it: its internal token for the principal. */
  readonly authorization: string | null;
  /** Who is asking, verified from that token (a subgraph serves no request without one). */
  readonly principal: Principal;
  /** Writes an audit event naming the principal (denied accesses, mutations). */
  readonly audit: (a: AccessAudit) => void;
  /** The request's correlation id (the gateway's, or a new one when called directly). */
  readonly correlationId: string;
  /** The canonical store as the principal may see it (row-level security on its legal entities). */
  readonly db: Db;
  /** DataLoaders, created for this request only (no cache shared between callers). */
  readonly loaders: L;
  readonly stats: RequestStats;
  readonly logger: Logger;
}

/** The header names finsync forwards from the gateway to every subgraph. */
export const FORWARDED_HEADERS = { authorization: 'authorization', correlationId: 'x-correlation-id' } as const;
