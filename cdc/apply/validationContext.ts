import type { ValidationContext } from '../validation/ValidationContext';
import { createBatchLoaders } from './batchLoaders';
import type { Db } from '../../canonical-schema/Db';
import type { ReferenceCache } from './loadReferenceCache';
import { currentCounterparty, findInvoiceWithNumber } from './lookups';
import type { Round } from './Round';
import { UnitOfWork } from './UnitOfWork';

/** What the finance rules may consult, as a round of the pipeline sees the canonical model. */
export function roundValidationContext(round: Round): ValidationContext {
  return {
    reference: round.reference,
    counterparty: (type, id) => currentCounterparty(round, type, id),
    invoiceWithNumber: (args) => findInvoiceWithNumber(round, args),
  };
}

/** The same for one document checked on its own (a posting): the canonical model as the database holds it. */
export function dbValidationContext(db: Db, reference: ReferenceCache): ValidationContext {
  return roundValidationContext({ uow: new UnitOfWork(), loaders: createBatchLoaders(db), reference });
}
