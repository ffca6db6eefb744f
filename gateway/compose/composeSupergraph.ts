import { composeServices } from '@theguild/federation-composition';
import type { DocumentNode } from 'graphql';

/** A subgraph as composition sees it. */
export interface SubgraphSdl {
  readonly name: string;
  readonly url: string;
  readonly typeDefs: DocumentNode;
}

/** Composition either gives the supergraph or every error, each naming the subgraphs and types involved. */
export type Composition = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

/**
 * Composes Federation v2 subgraphs into a supergraph with `@theguild/federation-composition` (MIT; the same
 * rules as Apollo's composition). Expected failures (a subgraph change that breaks composition) come back as data.
 */
export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): Composition {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: s.typeDefs })));
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  return { ok: true, supergraphSdl: result.supergraphSdl };
}
