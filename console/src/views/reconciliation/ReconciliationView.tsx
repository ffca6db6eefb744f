import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useClient } from 'urql';
import { useRefetchOnReconnect } from '../../api/ConnectionContext';
import { useMe } from '../../api/MeContext';
import { StatusBadge } from '../../components/StatusBadge';
import { useUrlFilters } from '../../components/useUrlFilters';
import type { ReconciliationGridQuery as Q } from '../../graphql/gql/graphql';
import { toCsv } from '../../lib/csv';
import { download } from '../../lib/download';
import { formatMoney } from '../../lib/format';
import { RECONCILIATION_DEFAULTS } from './filters';
import { ReconciliationGridQuery } from './operations';

type Report = Q['reconciliations'][number];

const stageCount = (r: Report, stage: string) => {
  const s = r.stages.find((x) => x.stage === stage);
  return s && s.status !== 'NOT_APPLICABLE' && s.count !== null && s.count !== undefined ? String(s.count) : '—';
};
const sourceTotals = (r: Report) =>
  r.stages
    .find((x) => x.stage === 'SOURCE')
    ?.totals.map((t) => formatMoney(t.sum))
    .join(', ') ?? '';

/**
 * The reconciliation grid: flow × legal entity for one period (and number series), each cell the status, the
 * counts at source, canonical and ERP, the source's control totals and the number of differing records; a cell
 * opens the flow's differing records.
 */
export function ReconciliationView() {
  const me = useMe();
  const client = useClient();
  const [f, setF] = useUrlFilters(RECONCILIATION_DEFAULTS);
  const entities = f.le ? [f.le] : [...me.legalEntities];
  const [reports, setReports] = useState<Report[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = `${entities.join(',')}|${f.period}|${f.prefix}`;
  const load = useCallback(() => {
    void Promise.all(
      key
        .split('|')[0]!
        .split(',')
        .map((le) =>
          client
            .query(
              ReconciliationGridQuery,
              { legalEntityId: le, period: f.period, numberPrefix: f.prefix || null },
              { requestPolicy: 'network-only' },
            )
            .toPromise(),
        ),
    ).then((results) => {
      const failed = results.find((r) => r.error)?.error;
      setError(failed ? (failed.graphQLErrors[0]?.message ?? failed.message) : null);
      setReports(results.flatMap((r) => r.data?.reconciliations ?? []));
    });
  }, [client, key, f.period, f.prefix]);
  useEffect(load, [load]);
  useRefetchOnReconnect(load);

  const flows = [...new Map((reports ?? []).map((r) => [r.flow.id, r.flow])).values()];
  const cell = (flow: string, le: string) => reports?.find((r) => r.flow.id === flow && r.legalEntityId === le);
  const exportCsv = () =>
    download(
      `reconciliation-${f.period}.csv`,
      toCsv(
        ['Flow', 'Legal entity', 'Period', 'Status', 'Source', 'Canonical', 'ERP', 'Differences', 'Source totals'],
        (reports ?? []).map((r) => [
          r.flow.name,
          r.legalEntityId,
          r.period ?? '',
          r.status,
          stageCount(r, 'SOURCE'),
          stageCount(r, 'CANONICAL'),
          stageCount(r, 'ERP'),
          String(r.differenceCount),
          sourceTotals(r),
        ]),
      ),
    );

  return (
    <section aria-labelledby="recon-title">
      <h1 id="recon-title">Reconciliation</h1>
      <form className="filters" role="search" aria-label="Filter reconciliation" onSubmit={(e) => e.preventDefault()}>
        <label>
          Legal entity
          <select value={f.le} onChange={(e) => setF({ le: e.target.value })}>
            <option value="">All of mine</option>
            {me.legalEntities.map((le) => (
              <option key={le} value={le}>
                {le}
              </option>
            ))}
          </select>
        </label>
        <label>
          Period
          <input type="month" value={f.period} onChange={(e) => setF({ period: e.target.value })} required />
        </label>
        <label>
          Number series
          <input value={f.prefix} onChange={(e) => setF({ prefix: e.target.value })} placeholder="e.g. S2026-" />
        </label>
        <button type="button" onClick={load}>
          Refresh
        </button>
        <button type="button" onClick={exportCsv} disabled={!reports?.length}>
          Export CSV
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!reports && <p className="loading">Reconciling every flow against its sources…</p>}
      {reports && (
        <div className="table-scroll">
          <table className="grid" aria-label="Reconciliation grid">
            <thead>
              <tr>
                <th scope="col">Flow</th>
                {entities.map((le) => (
                  <th key={le} scope="col">
                    {le}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {flows.map((fl) => (
                <tr key={fl.id}>
                  <th scope="row">
                    {fl.name}
                    {!fl.periodic && <span className="hint"> (master data, all periods)</span>}
                  </th>
                  {entities.map((le) => {
                    const r = cell(fl.id, le);
                    if (!r) return <td key={le}>—</td>;
                    const to = `/reconciliation/${fl.id}/${le}/${f.period}${f.prefix ? `?prefix=${encodeURIComponent(f.prefix)}` : ''}`;
                    return (
                      <td key={le} data-flow={fl.id} data-le={le} className={`cell-${r.status.toLowerCase()}`}>
                        <Link to={to} aria-label={`${fl.name}, ${le}: ${r.status}, ${r.differenceCount} differences`}>
                          <StatusBadge status={r.status} />
                        </Link>
                        <div className="counts">
                          Source {stageCount(r, 'SOURCE')} · Canonical {stageCount(r, 'CANONICAL')} · ERP{' '}
                          {stageCount(r, 'ERP')}
                        </div>
                        {fl.periodic && <div className="totals">{sourceTotals(r)}</div>}
                        {r.differenceCount > 0 && (
                          <div className="diffs">
                            {r.differenceCount} difference{r.differenceCount === 1 ? '' : 's'}
                          </div>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
