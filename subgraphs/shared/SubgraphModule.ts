import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import type { CanonicalEventSource } from './canonicalEvents';
import type { Db } from './Db';
import type { RequestContext } from './RequestContext';
import type { SubgraphName } from './SubgraphConfig';

/** What a process needs beyond the shared plumbing, for subgraphs that read more than the canonical store. */
export interface SubgraphEnv {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
}

/** One subgraph: its schema, resolvers and loaders; `startSubgraph` runs it. */
export interface SubgraphModule<L> {
  readonly name: SubgraphName;
  readonly typeDefs: DocumentNode;
  /** Whether its subscriptions need the canonical events consumer. */
  readonly usesEvents: boolean;
  createResolvers(events: CanonicalEventSource, env: SubgraphEnv): Promise<SubgraphResolvers<L>> | SubgraphResolvers<L>;
  createLoaders(db: Db): L;
}

/** Resolvers plus anything they hold open (closed when the process stops). */
export interface SubgraphResolvers<L> {
  readonly resolvers: GraphQLResolverMap<RequestContext<L>>;
  /** Loaders that need what the resolvers opened (e.g. source databases); else the module's `createLoaders`. */
  readonly createLoaders?: (db: Db) => L;
  readonly close?: () => Promise<void>;
}
