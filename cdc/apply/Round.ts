import type { BatchLoaders } from './batchLoaders';
import type { ReferenceCache } from './loadReferenceCache';
import type { UnitOfWork } from './UnitOfWork';

/**
 * One round of a batch: the changes it decides write into `uow`; what they need from the database comes
 * through `loaders` (what the database held when the round began); reference data from the cache.
 */
export interface Round {
  readonly uow: UnitOfWork;
  readonly loaders: BatchLoaders;
  readonly reference: ReferenceCache;
}
