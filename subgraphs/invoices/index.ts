import { join } from 'node:path';
import { loadTypeDefs } from '../shared/loadTypeDefs';
import type { SubgraphModule } from '../shared/SubgraphModule';
import { createLoaders, type InvoiceLoaders } from './loaders/createLoaders';
import { createResolvers } from './resolvers';

/** The invoices subgraph: invoices and their lines; `Vendor.invoices`, `Customer.invoices`; invoiceStatusChanged. */
export const invoicesSubgraph: SubgraphModule<InvoiceLoaders> = {
  name: 'invoices',
  typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
  usesEvents: true,
  createResolvers: (events) => ({ resolvers: createResolvers(events) }),
  createLoaders,
};
