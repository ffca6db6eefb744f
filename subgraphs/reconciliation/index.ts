import { join } from 'node:path';
import { loadTypeDefs } from '../shared/loadTypeDefs';
import type { SubgraphModule } from '../shared/SubgraphModule';
import { loadersWith, type ReconciliationLoaders } from './loaders/createLoaders';
import { runReconciliationGauges } from './reconcile/reconciliationGauges';
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
  createResolvers: (events, { env, logger }) => {
    const config = loadSourcesConfig(env);
    const sources = openSourceDatabases(config);
    // Where this process serves metrics, it also reconciles in the background for finsync_reconciliation_differences
    // (FINSYNC_RECONCILIATION_INTERVAL_MS=off: not).
    const gauges =
      env.FINSYNC_METRICS_PORT && env.FINSYNC_RECONCILIATION_INTERVAL_MS !== 'off'
        ? runReconciliationGauges({
            databaseUrl: env.FINSYNC_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/finsync',
            sources,
            graceSeconds: config.graceSeconds,
            intervalMs: Number(env.FINSYNC_RECONCILIATION_INTERVAL_MS ?? 300_000),
            logger,
          })
        : null;
    return {
      resolvers: createResolvers(events, sources, config.graceSeconds),
      createLoaders: loadersWith(sources, config.graceSeconds),
      close: async () => {
        await gauges?.stop();
        await sources.close();
      },
    };
  },
  createLoaders: () => {
    throw new Error('the reconciliation subgraph makes its loaders with its source databases (createResolvers)');
  },
};
