import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { CanonicalEventSource } from '../../shared/canonicalEvents';
import type { SourceDatabases } from '../sources/SourceDatabases';
import { auditResolvers } from './auditResolvers';
import type { Ctx } from './Ctx';
import { entityResolvers } from './entityResolvers';
import { exceptionResolvers } from './exceptionResolvers';
import { flowResolvers } from './flowResolvers';
import { reconciliationResolvers } from './reconciliationResolvers';

/** The reconciliation subgraph's resolvers, merged by type. */
export function createResolvers(
  events: CanonicalEventSource,
  sources: SourceDatabases,
  graceSeconds: number,
): GraphQLResolverMap<Ctx> {
  const parts: Array<Record<string, Record<string, unknown>>> = [
    exceptionResolvers(events),
    auditResolvers,
    reconciliationResolvers(events, sources, graceSeconds),
    entityResolvers,
    flowResolvers(events),
  ];
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part)) merged[type] = { ...merged[type], ...fields };
  }
  return merged as GraphQLResolverMap<Ctx>;
}
