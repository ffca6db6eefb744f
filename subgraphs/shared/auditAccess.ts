import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Principal } from '../../security/Principal';

export interface AccessAudit {
  readonly stage: 'ACCESS_DENIED' | 'MUTATION';
  readonly principal: Principal;
  /** `Mutation.postJournalEntry`, `Query.auditTrail` … */
  readonly coordinate: string;
  readonly correlationId: string;
  readonly detail: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The request's correlation id as the audit trail keys it (a UUID; other ids are hashed into one). */
export function auditCorrelationId(correlationId: string): string {
  if (UUID.test(correlationId)) return correlationId;
  const h = createHash('sha1').update(`finsync:request/${correlationId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Writes an audit event naming the principal: a denied access, or a mutation and how it ended. Written by the
 * subgraph's own connection (not the request's scoped one), so a denial is recorded even though the request is
 * not allowed to read the audit trail. A failure to write is logged, never turned into the request's error.
 */
export function auditAccess(pool: Pool, subgraph: string, logger: Logger): (a: AccessAudit) => void {
  return (a) => {
    pool
      .query(
        `insert into audit_event (correlation_id, stage, object_type, source_system, source_table, source_id, detail)
         values ($1, $2, 'API', 'api', $3, $4, $5)`,
        [
          auditCorrelationId(a.correlationId),
          a.stage,
          `${subgraph}:${a.coordinate}`,
          a.principal.subject,
          JSON.stringify({
            principal: {
              subject: a.principal.subject,
              roles: a.principal.roles,
              legalEntities: a.principal.legalEntities,
            },
            operation: a.coordinate,
            requestCorrelationId: a.correlationId,
            ...a.detail,
          }),
        ],
      )
      .catch((err: unknown) =>
        logger.warn({ err, coordinate: a.coordinate }, 'could not write the access audit event'),
      );
  };
}
