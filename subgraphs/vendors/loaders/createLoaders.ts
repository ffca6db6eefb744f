import type DataLoader from 'dataloader';
import { rowLoader } from '../../shared/batchLoaders';
import type { Db } from '../../shared/Db';
import { sourceReferenceLoader, type SourceReferenceRow } from '../../shared/sourceReferences';
import {
  ACTIVATION_BY_VENDOR_IDS,
  CUSTOMERS_BY_IDS,
  VENDORS_BY_IDS,
  type ActivationRow,
  type CounterpartyRow,
} from '../sql/counterparties';

/** The vendors subgraph's per-request loaders. */
export interface VendorLoaders {
  readonly vendor: DataLoader<string, CounterpartyRow | null>;
  readonly customer: DataLoader<string, CounterpartyRow | null>;
  readonly sourceReferences: DataLoader<string, SourceReferenceRow[]>;
  readonly activation: DataLoader<string, ActivationRow | null>;
}

/** Creates the loaders for one request over its counting `Db`. */
export function createLoaders(db: Db): VendorLoaders {
  return {
    vendor: rowLoader<CounterpartyRow>(db, VENDORS_BY_IDS, (r) => r.id),
    customer: rowLoader<CounterpartyRow>(db, CUSTOMERS_BY_IDS, (r) => r.id),
    sourceReferences: sourceReferenceLoader(db),
    activation: rowLoader<ActivationRow>(db, ACTIVATION_BY_VENDOR_IDS, (r) => r.id),
  };
}
