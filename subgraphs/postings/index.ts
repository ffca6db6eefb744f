import { join } from 'node:path';
import { Pool } from 'pg';
import { loadErpConfig } from '../../erp/config';
import { createPostingService } from '../../erp/posting/createPostingService';
import { trytonConnector } from '../../erp/tryton/trytonConnector';
import { loadTypeDefs } from '../shared/loadTypeDefs';
import type { SubgraphModule } from '../shared/SubgraphModule';
import { createLoaders, type PostingLoaders } from './loaders/createLoaders';
import { createResolvers } from './resolvers';

/** Checks against the ERP while accepting a posting must not hold the caller long: past this, accept and queue. */
const ACCEPT_TIME_ERP_TIMEOUT_MS = 5_000;

/**
 * The postings subgraph: the posting mutations (journals and invoices into the ERP, approval, rejection, retry,
 * cancellation), postings with their ERP document and confirmation, postingStatusChanged. The work is the posting
 * service's (erp/posting); the posting worker (erp/main.ts) sends what it accepted.
 */
export const postingsSubgraph: SubgraphModule<PostingLoaders> = {
  name: 'postings',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  usesEvents: true,
  createResolvers: (events, { env }) => {
    const config = loadErpConfig(env);
    const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
    const erp = trytonConnector(
      { ...config.tryton, timeoutMs: Math.min(config.tryton.timeoutMs, ACCEPT_TIME_ERP_TIMEOUT_MS) },
      config.trytonSettings,
    );
    return {
      resolvers: createResolvers(events, createPostingService({ pool, erp })),
      close: () => pool.end(),
    };
  },
  createLoaders,
};
