import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useClient, useQuery, useSubscription } from 'urql';
import { useRefetchOnReconnect } from '../../api/ConnectionContext';
import { useMay, useMe } from '../../api/MeContext';
import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { listOf, useUrlFilters } from '../../components/useUrlFilters';
import type { OverviewFlowsQuery as FlowsQ } from '../../graphql/gql/graphql';
import { currentPeriod, formatAge, formatHour, formatMoney, formatTime } from '../../lib/format';
import {
  OverviewExceptionChanges,
  OverviewExceptionsQuery,
  OverviewFlowsQuery,
  OverviewFreshnessQuery,
  OverviewPostingChanges,
  OverviewPostingsQuery,
} from './operations';

const AGE_LABEL: Readonly<Record<string, string>> = {
  UNDER_1H: '< 1 h',
  '1H_4H': '1–4 h',
  '4H_24H': '4–24 h',
  '1D_3D': '1–3 d',
  OVER_3D: '> 3 d',
};

/** Live but calm: a burst of changes reloads a part at most this often. */
const RELOAD_MS = 2_000;

/** Calls `fn` at most once per `ms`, trailing (the last change is always reflected). */
function useThrottled(fn: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}

/**
 * The overview: per flow and legal entity the reconciliation status, the posting queue (waiting, posted, failed),
 * open exceptions by age, trends over the last 24 hours, and CDC freshness per source system — live: exception and
 * posting changes reload their parts, freshness every 10 seconds.
 */
export function OverviewView() {
  const me = useMe();
  const mayExceptions = useMay('read:exceptions');
  const mayReconcile = useMay('read:reconciliation');
  const [f, setF] = useUrlFilters({ le: '', period: currentPeriod(), prefix: '' });
  const le = listOf(f.le);

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <form className="filters" role="search" aria-label="Filter the overview" onSubmit={(e) => e.preventDefault()}>
        <label>
          Legal entity
          <select value={f.le} onChange={(e) => setF({ le: e.target.value })}>
            <option value="">All of mine</option>
            {me.legalEntities.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label>
          Period
          <input type="month" value={f.period} onChange={(e) => setF({ period: e.target.value })} />
        </label>
        <label>
          Number series
          <input value={f.prefix} onChange={(e) => setF({ prefix: e.target.value })} placeholder="all" />
        </label>
      </form>
      <div className="tiles">
        {mayExceptions && <ExceptionTiles le={le} />}
        <PostingTiles le={le} />
      </div>
      {mayReconcile && <FlowsPanel entities={le ?? [...me.legalEntities]} period={f.period} prefix={f.prefix} />}
      <Freshness />
    </section>
  );
}

function ExceptionTiles({ le }: { le: string[] | null }) {
  const variables = useMemo(
    () => ({ filter: { legalEntityId: le }, open: { legalEntityId: le, status: ['OPEN' as const] } }),
    [le],
  );
  const [{ data, error }, reexecute] = useQuery({ query: OverviewExceptionsQuery, variables });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const throttled = useThrottled(reload, RELOAD_MS);
  useRefetchOnReconnect(reload);
  useSubscription({ query: OverviewExceptionChanges }, (_p, e) => {
    throttled();
    return e;
  });
  if (error) return <QueryState fetching={false} error={error} what="the exceptions" />;
  if (!data) return <p className="loading">Loading exceptions…</p>;
  const aging = data.exceptionAging.map((b) => ({ age: AGE_LABEL[b.bucket] ?? b.bucket, open: b.count }));
  const trend = data.exceptionCountsByHour.map((h) => ({
    hour: formatHour(h.hour),
    raised: h.raised,
    closed: h.closed,
  }));
  return (
    <>
      <div className="tile">
        <h2>Open exceptions</h2>
        <p className="big" data-testid="open-exceptions">
          <Link to="/exceptions">{data.open.totalCount}</Link>
        </p>
        <figure>
          <figcaption>By age</figcaption>
          <BarChart width={300} height={160} data={aging} accessibilityLayer>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="age" fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} width={30} />
            <Tooltip />
            <Bar dataKey="open" name="open" fill="#c2410c" isAnimationActive={false} />
          </BarChart>
        </figure>
      </div>
      <div className="tile wide">
        <h2>Exceptions, last 24 hours</h2>
        <LineChart width={520} height={190} data={trend} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" fontSize={11} interval={3} />
          <YAxis allowDecimals={false} fontSize={11} width={30} />
          <Tooltip />
          <Legend />
          <Line type="linear" dataKey="raised" stroke="#c2410c" dot={false} isAnimationActive={false} />
          <Line type="linear" dataKey="closed" stroke="#15803d" dot={false} isAnimationActive={false} />
        </LineChart>
      </div>
    </>
  );
}

function PostingTiles({ le }: { le: string[] | null }) {
  const [{ data, error }, reexecute] = useQuery({ query: OverviewPostingsQuery, variables: { legalEntityId: le } });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const throttled = useThrottled(reload, RELOAD_MS);
  useRefetchOnReconnect(reload);
  useSubscription({ query: OverviewPostingChanges }, (_p, e) => {
    throttled();
    return e;
  });
  if (error) return <QueryState fetching={false} error={error} what="the postings" />;
  if (!data) return <p className="loading">Loading postings…</p>;
  const trend = data.postingCountsByHour.map((h) => ({
    hour: formatHour(h.hour),
    prepared: h.prepared,
    posted: h.posted,
    failed: h.failed,
  }));
  return (
    <>
      <div className="tile">
        <h2>Postings</h2>
        <dl className="kpis">
          <dt>Waiting</dt>
          <dd data-testid="postings-waiting">
            <Link to="/postings?status=PENDING_APPROVAL">{data.waiting.totalCount}</Link>
          </dd>
          <dt>Posted</dt>
          <dd data-testid="postings-posted">
            {data.posted.totalCount}
            {data.posted.totals.map((t) => (
              <span key={t.currency} className="hint">
                {' '}
                {formatMoney(t.sum)}
              </span>
            ))}
          </dd>
          <dt>Failed</dt>
          <dd data-testid="postings-failed">
            <Link to="/postings?status=FAILED">{data.failed.totalCount}</Link>
          </dd>
        </dl>
      </div>
      <div className="tile wide">
        <h2>Postings, last 24 hours</h2>
        <BarChart width={520} height={190} data={trend} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" fontSize={11} interval={3} />
          <YAxis allowDecimals={false} fontSize={11} width={30} />
          <Tooltip />
          <Legend />
          <Bar dataKey="prepared" fill="#1d4ed8" isAnimationActive={false} />
          <Bar dataKey="posted" fill="#15803d" isAnimationActive={false} />
          <Bar dataKey="failed" fill="#b91c1c" isAnimationActive={false} />
        </BarChart>
      </div>
    </>
  );
}

type FlowRow = FlowsQ['reconciliations'][number];

function FlowsPanel({ entities, period, prefix }: { entities: string[]; period: string; prefix: string }) {
  const client = useClient();
  const [rows, setRows] = useState<FlowRow[] | null>(null);
  const key = entities.join(',');
  const load = useCallback(() => {
    void Promise.all(
      key
        .split(',')
        .map((legalEntityId) =>
          client
            .query(
              OverviewFlowsQuery,
              { legalEntityId, period, numberPrefix: prefix || null },
              { requestPolicy: 'network-only' },
            )
            .toPromise(),
        ),
    ).then((results) => setRows(results.flatMap((r) => r.data?.reconciliations ?? [])));
  }, [client, key, period, prefix]);
  useEffect(load, [load]);
  useRefetchOnReconnect(load);
  return (
    <div className="panel">
      <h2>Flows · {period}</h2>
      <p className="hint">
        Documents waiting / posted / failed per flow and latency against SLA come with the flows API (issue 12); until
        then each flow shows its reconciliation.
      </p>
      {!rows && <p className="loading">Reconciling…</p>}
      {rows && (
        <DataTable
          caption="Flows by legal entity"
          rows={rows}
          rowId={(r) => `${r.flow.id}:${r.legalEntityId}`}
          exportName={`flows-${period}`}
          columns={[
            {
              id: 'flow',
              header: 'Flow',
              text: (r) => r.flow.name,
              cell: (r) => (
                <Link
                  to={`/reconciliation/${r.flow.id}/${r.legalEntityId}/${period}${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ''}`}
                >
                  {r.flow.name}
                </Link>
              ),
            },
            { id: 'le', header: 'Legal entity', text: (r) => r.legalEntityId },
            {
              id: 'status',
              header: 'Reconciliation',
              text: (r) => r.status,
              cell: (r) => <StatusBadge status={r.status} />,
            },
            { id: 'diffs', header: 'Differences', text: (r) => String(r.differenceCount), numeric: true },
          ]}
        />
      )}
    </div>
  );
}

function Freshness() {
  const [{ data, error }, reexecute] = useQuery({ query: OverviewFreshnessQuery });
  useEffect(() => {
    const t = setInterval(() => reexecute({ requestPolicy: 'network-only' }), 10_000);
    return () => clearInterval(t);
  }, [reexecute]);
  return (
    <div className="panel">
      <h2>CDC freshness</h2>
      <QueryState fetching={!data && !error} error={error} what="CDC freshness" />
      {data && (
        <DataTable
          caption="CDC freshness by source system"
          rows={data.cdcFreshness}
          rowId={(r) => r.system}
          exportName="cdc-freshness"
          columns={[
            { id: 'system', header: 'Source system', text: (r) => r.system },
            { id: 'applied', header: 'Newest change applied', text: (r) => formatTime(r.lastAppliedAt) || 'none yet' },
            { id: 'committed', header: 'Committed at source', text: (r) => formatTime(r.lastSourceCommitAt) },
            { id: 'lag', header: 'Lag', text: (r) => formatAge(r.lagSeconds), numeric: true },
            {
              id: 'since',
              header: 'Since',
              text: (r) => (r.secondsSinceLastApplied === null ? '' : `${formatAge(r.secondsSinceLastApplied)} ago`),
            },
          ]}
        />
      )}
    </div>
  );
}
