import { createHash } from 'node:crypto';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  parse,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import type { Principal } from '../../security/Principal';
import { refusalOf, requiredPermission } from '../../security/refusal';
import { permissionsOf } from '../../security/roles';
import { SubscriptionFanOut, type FanOutStats } from './SubscriptionFanOut';

/**
 * Subscriptions that start with the current state (a reconciliation's report at once, then its changes): a
 * subscriber joining a running execution would miss that first result, so each runs its own.
 */
export const UNSHARED_SUBSCRIPTIONS: ReadonlySet<string> = new Set(['reconciliationChanged']);

export interface SubscriptionSharing {
  /** Off: every subscriber runs its own execution and upstream subscription (the behaviour before sharing). */
  readonly enabled: boolean;
  /** Results queued per subscriber before a subscriber that does not read them is dropped. */
  readonly bufferLimit: number;
}

/** What the gateway's graphql-ws context carries (createGateway.ts; `params` is Hive's). */
export interface SharingContext {
  readonly params?: {
    readonly query?: unknown;
    readonly variables?: Readonly<Record<string, unknown>> | null;
    readonly operationName?: unknown;
  };
  readonly finsync?: { readonly principal?: Principal };
  /** Closes the subscriber's connection: it was dropped for not reading its results. */
  readonly finsyncDrop?: () => void;
}

type Handler = (args: ExecutionArgs) => unknown;

const PARSED_DOCUMENTS = 500;

/**
 * Wraps the graphql-ws execute/subscribe handler of Hive Gateway (getGraphQLWSOptions) so that subscribers of the
 * same subscription share one execution: the same query text, operation name and variables, and the same security
 * scope — the principal's permissions (what roles mean: which fields it may use, masking) and legal entities
 * (row-level security, the legal-entity arguments). The subject is not part of the scope: nothing a subscription
 * returns carries it (refusal texts name roles, not people: security/refusal.ts). The first subscriber's execution
 * serves the others (its identity reaches the subgraphs: one upstream subscription, one entity fetch per event).
 *
 * Not shared, each subscriber running its own as before: queries and mutations over graphql-ws; subscriptions the
 * gateway cannot read its root field and arguments of; those of UNSHARED_SUBSCRIPTIONS; and a subscriber the
 * subgraph will refuse (security/refusal.ts, checked here with the same rule) — its refusal and the audit row that
 * names it stay its own.
 */
export function shareSubscriptions(
  handler: Handler,
  schema: GraphQLSchema,
  sharing: SubscriptionSharing,
): { handler: Handler; stats: () => FanOutStats } {
  const fanOut = new SubscriptionFanOut<unknown>(sharing.bufferLimit);
  const documents = new Map<string, DocumentNode | null>();
  const documentOf = (query: string): DocumentNode | null => {
    let doc = documents.get(query);
    if (doc !== undefined) return doc;
    try {
      doc = parse(query);
    } catch {
      doc = null;
    }
    if (documents.size >= PARSED_DOCUMENTS) documents.delete(documents.keys().next().value as string);
    documents.set(query, doc);
    return doc;
  };
  const keyOf = (ctx: SharingContext): string | null => {
    const principal = ctx.finsync?.principal;
    const { query, variables, operationName } = ctx.params ?? {};
    if (!principal || typeof query !== 'string') return null;
    const name = typeof operationName === 'string' ? operationName : null;
    const document = documentOf(query);
    const operation = document && getOperationAST(document, name);
    if (!operation || operation.operation !== 'subscription') return null;
    const [field, ...more] = operation.selectionSet.selections;
    if (!field || more.length || field.kind !== Kind.FIELD || field.directives?.length) return null;
    if (UNSHARED_SUBSCRIPTIONS.has(field.name.value)) return null;
    const definition = schema.getSubscriptionType()?.getFields()[field.name.value];
    if (!definition) return null;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { ...(variables ?? {}) });
    if (coerced.errors) return null;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, field, coerced.coerced);
    } catch {
      return null;
    }
    const coordinate = `Subscription.${field.name.value}`;
    if (refusalOf(coordinate, requiredPermission('Subscription', coordinate), args, principal)) return null;
    const scope = [[...permissionsOf(principal)].sort(), [...new Set(principal.legalEntities)].sort()];
    return createHash('sha256')
      .update(JSON.stringify([query, name, stable(variables ?? {}), scope]))
      .digest('base64url');
  };
  return {
    stats: () => fanOut.stats(),
    handler: (args) => {
      if (!sharing.enabled) return handler(args);
      const ctx = (args.contextValue ?? {}) as SharingContext;
      const key = keyOf(ctx);
      if (!key) return handler(args);
      return fanOut.subscribe(
        key,
        async () => handler(args),
        () => ctx.finsyncDrop?.(),
      );
    },
  };
}

/** JSON with object keys sorted at every depth: equal variables give equal text. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
