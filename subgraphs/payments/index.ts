import { join } from 'node:path';
import { loadTypeDefs } from '../shared/loadTypeDefs';
import type { SubgraphModule } from '../shared/SubgraphModule';
import { createLoaders, type PaymentLoaders } from './loaders/createLoaders';
import { createResolvers } from './resolvers';

/** The payments subgraph: payments, their allocations to invoices, `Invoice.payments`, paymentSettled. */
export const paymentsSubgraph: SubgraphModule<PaymentLoaders> = {
  name: 'payments',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  usesEvents: true,
  createResolvers: (events) => ({ resolvers: createResolvers(events) }),
  createLoaders,
};
