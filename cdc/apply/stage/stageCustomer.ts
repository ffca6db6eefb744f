import { randomUUID } from 'node:crypto';
import type { CustomerCandidate } from '../../../canonical-schema/model/candidates';
import { currentStatus } from '../lookups';
import type { Round } from '../Round';
import type { SourceRow } from '../SourceRow';
import { UnitOfWork } from '../UnitOfWork';

/** Inserts or updates a customer in the round; returns its id and the status it had before. */
export async function stageCustomer(
  round: Round,
  row: SourceRow,
  c: CustomerCandidate,
  existingId: string | null,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  const id = existingId ?? randomUUID();
  const stored = existingId ? await round.loaders.customer.load(existingId) : null;
  const oldStatus = existingId ? currentStatus(round.uow.customers.get(existingId), stored) : null;
  UnitOfWork.touch(
    round.uow.customers,
    id,
    {
      id,
      legalEntityId: c.legalEntityId,
      name: c.name,
      taxId: c.taxId,
      email: c.email,
      currency: c.currency,
      status: c.status,
      correlationId: row.correlationId,
      sourceUpdatedAt: row.committedAt,
      mappingVersion: row.mappingVersion,
      deletedAtSource: false,
    },
    stored,
  );
  return { canonicalId: id, oldStatus };
}
