import { join } from 'node:path';
import { loadTypeDefs } from '../shared/loadTypeDefs';
import type { SubgraphModule } from '../shared/SubgraphModule';
import { loadersWith, type ReconciliationLoaders } from './loaders/createLoaders';
import { createResolvers } from './resolvers';
import { openSourceDatabases } from './sources/SourceDatabases';
import { loadSourcesConfig } from './sources/SourcesConfig';

/**
 * The reconciliation subgraph: reconciliation per flow, legal entity and period, per record, and invoice–payment
 * matching; the exception work queue with its audited actions; the audit trail per correlation id;
 * exceptionRaised and reconciliationChanged.
 */
export const reconciliationSubgraph: SubgraphModule<ReconciliationLoaders> = {
  name: 'reconciliation',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  usesEvents: true,
  createResolvers: (events, { env }) => {
    const config = loadSourcesConfig(env);
    const sources = openSourceDatabases(config);
    return {
      resolvers: createResolvers(events, sources, config.graceSeconds),
      createLoaders: loadersWith(sources, config.graceSeconds),
      close: () => sources.close(),
    };
  },
  createLoaders: () => {
    throw new Error('the reconciliation subgraph makes its loaders with its source databases (createResolvers)');
  },
};
