import { randomUUID } from 'node:crypto';
import type { AccountCandidate, AccountingPeriodCandidate } from '../../../canonical-schema/model/candidates';
import type { Round } from '../Round';
import type { SourceRow } from '../SourceRow';

/**
 * An account of the ERP's chart, onto the canonical account with the same entity and code (finsync's
 * reference data created most of them): its name and status follow the ERP. Returns the canonical id.
 */
export async function stageAccount(
  round: Round,
  row: SourceRow,
  a: AccountCandidate,
): Promise<{ canonicalId: string } | { problem: string }> {
  const key = `${a.legalEntityId}/${a.code}`;
  const inRound = [...round.uow.accounts.values()].find((x) => `${x.legalEntityId}/${x.code}` === key);
  const existing = inRound?.id ?? (await round.loaders.accountId.load(key));
  if (!existing && a.type === null) {
    return {
      problem: `finsync's chart of accounts for ${a.legalEntityId} has no account ${a.code}, and the source does not give its type (asset, liability, equity, revenue or expense); add it to the chart`,
    };
  }
  const id = existing ?? randomUUID();
  round.uow.accounts.set(id, {
    id,
    legalEntityId: a.legalEntityId,
    code: a.code,
    name: a.name,
    status: a.status,
    type: a.type,
    correlationId: row.correlationId,
    sourceUpdatedAt: row.committedAt,
    mappingVersion: row.mappingVersion,
  });
  round.uow.referenceChanged = true;
  return { canonicalId: id };
}

/** An ERP period, onto the canonical period of the same entity, fiscal year and number: OPEN or CLOSED. */
export async function stageAccountingPeriod(
  round: Round,
  row: SourceRow,
  p: AccountingPeriodCandidate,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  const key = `${p.legalEntityId}/${p.fiscalYear}/${p.periodNumber}`;
  const inRound = [...round.uow.periods.values()].find(
    (x) => `${x.legalEntityId}/${x.fiscalYear}/${x.periodNumber}` === key,
  );
  const stored = inRound ? null : await round.loaders.periodId.load(key);
  const id = inRound?.id ?? stored ?? randomUUID();
  const oldStatus =
    inRound?.status ?? (stored ? (round.reference.period(p.legalEntityId, p.startDate)?.status ?? null) : null);
  round.uow.periods.set(id, {
    id,
    legalEntityId: p.legalEntityId,
    fiscalYear: p.fiscalYear,
    periodNumber: p.periodNumber,
    startDate: p.startDate,
    endDate: p.endDate,
    status: p.status,
    correlationId: row.correlationId,
    sourceUpdatedAt: row.committedAt,
    mappingVersion: row.mappingVersion,
  });
  round.uow.referenceChanged = true;
  return { canonicalId: id, oldStatus };
}
