import { join } from 'node:path';
import { loadTypeDefs } from '../shared/loadTypeDefs';
import type { SubgraphModule } from '../shared/SubgraphModule';
import { createLoaders, type VendorLoaders } from './loaders/createLoaders';
import { createResolvers } from './resolvers';

/** The vendors subgraph: the counterparties, vendors (golden records) and customers. */
export const vendorsSubgraph: SubgraphModule<VendorLoaders> = {
  name: 'vendors',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  usesEvents: false,
  createResolvers: () => ({ resolvers: createResolvers() }),
  createLoaders,
};
