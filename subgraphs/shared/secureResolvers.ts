import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError } from 'graphql';
import { mask, maskText, sensitiveValuesIn } from '../../security/mask';
import { MASKED_FIELDS, MASKED_TEXT_FIELDS, OPERATION_PERMISSIONS } from '../../security/permissions';
import type { Principal } from '../../security/Principal';
import { refusalOf, requiredPermission } from '../../security/refusal';
import { may, type Permission } from '../../security/roles';
import type { AccessAudit } from './auditAccess';

/** What enforcement needs from a resolver's context. */
export interface SecuredContext {
  readonly principal: Principal;
  readonly correlationId: string;
  readonly audit: (a: AccessAudit) => void;
}

type Resolver = (parent: unknown, args: Record<string, unknown>, ctx: SecuredContext, info: unknown) => unknown;
const ROOTS = ['Query', 'Mutation', 'Subscription'] as const;

/**
 * Wraps a subgraph's resolvers with the permissions of security/permissions.ts: each root field (and each field
 * listed there) checks the principal's permission, that every `legalEntityId` argument is one of its legal
 * entities, and that a search by a sensitive value is allowed; a refusal is a FORBIDDEN error and an audit event
 * naming the principal. Every mutation is audited with how it ended. Masked fields show the last 4 characters
 * unless the principal may read them. (Which rows anyone sees is row-level security's: scopedDb.)
 */
export function secureResolvers<C>(resolvers: GraphQLResolverMap<C>): GraphQLResolverMap<C> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [type, fields] of Object.entries(resolvers as Record<string, Record<string, unknown>>)) {
    out[type] = { ...fields };
    for (const [field, resolver] of Object.entries(fields)) {
      const coordinate = `${type}.${field}`;
      const root = (ROOTS as readonly string[]).includes(type);
      const permission = requiredPermission(type, coordinate);
      if (!root && !(coordinate in OPERATION_PERMISSIONS)) continue;
      if (type === 'Subscription' && typeof resolver === 'object' && resolver !== null) {
        const sub = resolver as { subscribe: Resolver; resolve?: Resolver };
        out[type][field] = { ...sub, subscribe: guard(coordinate, permission, sub.subscribe) };
      } else if (typeof resolver === 'function') {
        out[type][field] = guard(coordinate, permission, resolver as Resolver, type === 'Mutation');
      }
    }
  }
  const sensitive = (ctx: SecuredContext) => may(ctx.principal, 'read:sensitive');
  for (const coordinate of MASKED_FIELDS) {
    wrapField(out, coordinate, (value, _parent, ctx) => (sensitive(ctx) ? value : mask(value as string | null)));
  }
  for (const coordinate of MASKED_TEXT_FIELDS) {
    wrapField(out, coordinate, (value, parent, ctx) =>
      sensitive(ctx) ? value : maskText(value as string | null, sensitiveValuesIn(parent)),
    );
  }
  return out as GraphQLResolverMap<C>;
}

/** Replaces a field's resolver (or its default, the parent's property) by one that transforms what it returns. */
function wrapField(
  out: Record<string, Record<string, unknown>>,
  coordinate: string,
  transform: (value: unknown, parent: unknown, ctx: SecuredContext) => unknown,
): void {
  const [type, field] = coordinate.split('.') as [string, string];
  if (!out[type]) return;
  const inner = out[type][field] as Resolver | undefined;
  out[type][field] = async (parent: unknown, args: Record<string, unknown>, ctx: SecuredContext, info: unknown) =>
    transform(inner ? await inner(parent, args, ctx, info) : (parent as Record<string, unknown>)[field], parent, ctx);
}

function guard(
  coordinate: string,
  permission: Permission | null | 'NOBODY',
  resolve: Resolver,
  mutation = false,
): Resolver {
  return async (parent, args, ctx, info) => {
    const refusal = refusalOf(coordinate, permission, args ?? {}, ctx.principal);
    if (refusal) {
      ctx.audit({
        stage: 'ACCESS_DENIED',
        principal: ctx.principal,
        coordinate,
        correlationId: ctx.correlationId,
        detail: { reason: refusal },
      });
      throw new GraphQLError(refusal, { extensions: { code: 'FORBIDDEN', coordinate } });
    }
    if (!mutation) return resolve(parent, args, ctx, info);
    try {
      const result = await resolve(parent, args, ctx, info);
      const userErrors = (result as { userErrors?: Array<{ code: string }> } | null)?.userErrors ?? [];
      ctx.audit({
        stage: 'MUTATION',
        principal: ctx.principal,
        coordinate,
        correlationId: ctx.correlationId,
        detail: {
          outcome: userErrors.length ? 'REFUSED' : 'DONE',
          userErrors: userErrors.map((e) => e.code),
          target: idOf(args),
        },
      });
      return result;
    } catch (err) {
      ctx.audit({
        stage: 'MUTATION',
        principal: ctx.principal,
        coordinate,
        correlationId: ctx.correlationId,
        detail: { outcome: 'ERROR', error: (err as Error).message, target: idOf(args) },
      });
      throw err;
    }
  };
}

const idOf = (args: Record<string, unknown>): string | null => (typeof args.id === 'string' ? args.id : null);
