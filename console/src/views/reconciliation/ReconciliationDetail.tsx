import { Link, useParams, useSearchParams } from 'react-router';
import { useSubscription } from 'urql';
import { useMay } from '../../api/MeContext';
import { DataTable } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import type { ReconciliationChangedSubscription as S } from '../../graphql/gql/graphql';
import { formatMoney, formatTime } from '../../lib/format';
import { ReconciliationChangedSubscription } from './operations';

type Report = S['reconciliationChanged']['reconciliation'];
type Difference = Report['differences'][number];

/** The correlation id of a differing record: its canonical record's, or the exception's that explains it. */
const correlationOf = (d: Difference): string | null =>
  d.invoice?.correlationId ??
  d.payment?.correlationId ??
  d.journalEntry?.correlationId ??
  d.vendor?.correlationId ??
  d.exception?.correlationId ??
  null;

/**
 * One flow for a legal entity and period: counts and control totals at each stage, the differences between stages,
 * and the differing records with their reason — each leading to its exception and its journey. Live: the report
 * comes as a subscription (its current state at once, then each change).
 */
export function ReconciliationDetail() {
  const { flow = '', legalEntityId = '', period = '' } = useParams();
  const [params] = useSearchParams();
  const prefix = params.get('prefix');
  const mayAudit = useMay('read:audit');
  const [{ data, error }] = useSubscription({
    query: ReconciliationChangedSubscription,
    variables: { flow, legalEntityId, period, numberPrefix: prefix },
  });
  const r = data?.reconciliationChanged.reconciliation;
  const back = `/reconciliation?period=${period}${prefix ? `&prefix=${encodeURIComponent(prefix)}` : ''}`;
  return (
    <section aria-labelledby="recon-detail-title">
      <p>
        <Link to={back}>← Reconciliation</Link>
      </p>
      <h1 id="recon-detail-title">
        {r?.flow.name ?? flow} · {legalEntityId} · {period} {r && <StatusBadge status={r.status} />}
      </h1>
      {error && (
        <p className="error" role="alert">
          {error.graphQLErrors[0]?.message ?? error.message}
        </p>
      )}
      {!r && !error && <p className="loading">Reconciling against the source…</p>}
      {r && (
        <>
          <p className="hint">
            {r.flow.description} Checked {formatTime(r.checkedAt)}.
          </p>
          <h2>Stages</h2>
          <DataTable
            caption="Stages"
            rows={r.stages}
            rowId={(s) => s.stage}
            exportName={`${flow}-${legalEntityId}-${period}-stages`}
            columns={[
              { id: 'stage', header: 'Stage', text: (s) => s.stage },
              { id: 'status', header: 'Status', text: (s) => `${s.status}${s.note ? ` (${s.note})` : ''}` },
              {
                id: 'count',
                header: 'Records',
                text: (s) => (s.count === null || s.count === undefined ? '—' : String(s.count)),
                numeric: true,
              },
              {
                id: 'totals',
                header: 'Control totals',
                text: (s) => s.totals.map((t) => formatMoney(t.sum)).join(', '),
              },
            ]}
          />
          <h2>Differences between stages</h2>
          <ul>
            {r.stageDifferences.map((d) => (
              <li key={`${d.from}-${d.to}`}>
                {d.from} − {d.to}: {d.countDifference} records
                {d.totals.length > 0 && <>, {d.totals.map((t) => formatMoney(t)).join(', ')}</>}
              </li>
            ))}
          </ul>
          <h2>Differing records ({r.differenceCount})</h2>
          <DataTable
            caption="Differing records"
            rows={r.differences}
            rowId={(d) => `${d.sourceTable}:${d.sourceId}:${d.reason}`}
            exportName={`${flow}-${legalEntityId}-${period}-differences`}
            empty="Every record agrees."
            columns={[
              { id: 'reason', header: 'Reason', text: (d) => d.reason },
              { id: 'status', header: 'Status', text: (d) => d.status, cell: (d) => <StatusBadge status={d.status} /> },
              { id: 'number', header: 'Number', text: (d) => d.number ?? '' },
              {
                id: 'source',
                header: 'Source row',
                text: (d) => `${d.sourceSystem} · ${d.sourceTable} · ${d.sourceId}`,
              },
              { id: 'message', header: 'Why', text: (d) => d.message },
              { id: 'sourceValue', header: 'At source', text: (d) => d.sourceValue ?? '' },
              { id: 'canonicalValue', header: 'Canonical', text: (d) => d.canonicalValue ?? '' },
              {
                id: 'exception',
                header: 'Exception',
                text: (d) => d.exception?.code ?? '',
                cell: (d) => (d.exception ? <Link to={`/exceptions/${d.exception.id}`}>{d.exception.code}</Link> : ''),
              },
              {
                id: 'journey',
                header: 'Journey',
                text: (d) => correlationOf(d) ?? '',
                cell: (d) => {
                  const c = correlationOf(d);
                  // The exception may be a line's, with a correlation id of its own: its journey comes along.
                  const also =
                    d.exception?.correlationId && d.exception.correlationId !== c
                      ? `&also=${d.exception.correlationId}`
                      : '';
                  return c && mayAudit ? (
                    <Link to={`/journey?correlationId=${c}${also}`} aria-label={`Journey of ${d.number ?? d.sourceId}`}>
                      Journey
                    </Link>
                  ) : (
                    ''
                  );
                },
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
