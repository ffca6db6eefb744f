import { randomUUID } from 'node:crypto';

/** Who is asking and under which correlation id: forwarded to every subgraph call of the operation. */
export interface ForwardedIdentity {
  /** The client's `Authorization` header (or graphql-ws connection param), untouched; null when absent. */
  readonly authorization: string | null;
  /** The client's `x-correlation-id`, or a new UUID for this operation. */
  readonly correlationId: string;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The identity of an operation from what the client sent. A correlation id that is not a plain token is replaced
 * (it ends up in logs and audit rows).
 */
export function forwardedIdentity(
  authorization: string | null | undefined,
  correlationId: string | null | undefined,
): ForwardedIdentity {
  return {
    authorization: authorization || null,
    correlationId: correlationId && CORRELATION_ID.test(correlationId) ? correlationId : randomUUID(),
  };
}
