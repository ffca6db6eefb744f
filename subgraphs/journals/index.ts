import { join } from 'node:path';
import { loadTypeDefs } from '../shared/loadTypeDefs';
import type { SubgraphModule } from '../shared/SubgraphModule';
import { createLoaders, type JournalLoaders } from './loaders/createLoaders';
import { createResolvers } from './resolvers';

/** The journals subgraph: journal entries and lines, `Invoice/Payment.journalEntries`, journalPosted. */
export const journalsSubgraph: SubgraphModule<JournalLoaders> = {
  name: 'journals',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  usesEvents: true,
  createResolvers: (events) => ({ resolvers: createResolvers(events) }),
  createLoaders,
};
