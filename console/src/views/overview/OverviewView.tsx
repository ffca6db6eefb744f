import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useClient, useMutation, useQuery, useSubscription } from 'urql';
import { useRefetchOnReconnect } from '../../api/ConnectionContext';
import { useMay, useMe } from '../../api/MeContext';
import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { ReasonDialog } from '../../components/ReasonDialog';
import { StatusBadge } from '../../components/StatusBadge';
import { listOf, useUrlFilters } from '../../components/useUrlFilters';
import type {
  OverviewFlowsQuery as FlowsQ,
  OverviewReconciliationsQuery as ReconciliationsQ,
} from '../../graphql/gql/graphql';
import { currentPeriod, formatAge, formatHour, formatMoney, formatTime } from '../../lib/format';
import {
  OverviewExceptionChanges,
  OverviewExceptionsQuery,
  OverviewFlowsQuery,
  OverviewFlowSlaBreaches,
  OverviewFlowStateChanges,
  OverviewFreshnessQuery,
  OverviewPostingChanges,
  OverviewPostingsQuery,
  OverviewReconciliationsQuery,
  PauseFlowMutation,
  ResumeFlowMutation,
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
 * The overview: the flows (state, version, per legal entity documents waiting / in progress / posted / failed and
 * latency against the SLA; pause and resume for who may), per flow and legal entity the reconciliation status, the
 * posting queue, open exceptions by age, trends over the last 24 hours, and CDC freshness per source system — live:
 * flow-state, SLA-breach, exception and posting changes reload their parts, freshness every 10 seconds.
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
      <FlowsPanel le={le} />
      {mayReconcile && (
        <ReconciliationsPanel entities={le ?? [...me.legalEntities]} period={f.period} prefix={f.prefix} />
      )}
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

type Flow = FlowsQ['flows'][number];
type FlowStatsRow = Flow['stats'][number] & { readonly flow: Flow };

/** A latency against its SLA: over it, flagged in words (and colour). */
function Latency({ seconds, sla }: { seconds: number | null | undefined; sla: number }) {
  if (seconds === null || seconds === undefined) return <>–</>;
  if (seconds <= sla) return <>{formatAge(seconds)}</>;
  return <span className="over-sla">{formatAge(seconds)} · over SLA</span>;
}

const latencyText = (seconds: number | null | undefined, sla: number): string =>
  seconds === null || seconds === undefined ? '' : `${formatAge(seconds)}${seconds > sla ? ' (over SLA)' : ''}`;

/**
 * The flows (issue 12's flows API): each flow's state and definition version, and per legal entity (within the
 * overview's filter) its documents and latency against the SLA. Live: a flow paused or resumed, or a document over
 * its SLA, reloads it. Pause / Resume (with a reason, audited) only for who holds act:flows.
 */
function FlowsPanel({ le }: { le: string[] | null }) {
  const mayOperate = useMay('act:flows');
  const [{ data, error }, reexecute] = useQuery({ query: OverviewFlowsQuery });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const throttled = useThrottled(reload, RELOAD_MS);
  useRefetchOnReconnect(reload);
  // A state change is rare and a person waits for it: reload at once. Breaches can come in bursts: throttled.
  useSubscription({ query: OverviewFlowStateChanges }, (_p, e) => {
    reload();
    return e;
  });
  useSubscription({ query: OverviewFlowSlaBreaches }, (_p, e) => {
    throttled();
    return e;
  });
  const [, pause] = useMutation(PauseFlowMutation);
  const [, resume] = useMutation(ResumeFlowMutation);
  const [acting, setActing] = useState<{ flow: Flow; to: 'PAUSED' | 'RUNNING' } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  if (error) return <QueryState fetching={false} error={error} what="the flows" />;
  if (!data) return <p className="loading">Loading flows…</p>;
  const stats: FlowStatsRow[] = data.flows.flatMap((flow) =>
    flow.stats.filter((x) => !le || le.includes(x.legalEntityId)).map((x) => ({ ...x, flow })),
  );
  return (
    <div className="panel">
      <h2>Flows</h2>
      {outcome && (
        <p className="hint" role="status">
          {outcome}
        </p>
      )}
      <DataTable
        caption="Flows"
        rows={data.flows}
        rowId={(r) => r.id}
        exportName="flows"
        columns={[
          { id: 'flow', header: 'Flow', text: (r) => r.name },
          { id: 'version', header: 'Version', text: (r) => `v${r.version}` },
          {
            id: 'state',
            header: 'State',
            text: (r) => (r.implemented ? r.state : 'NOT IMPLEMENTED'),
            cell: (r) => <StatusBadge status={r.implemented ? r.state : 'NOT_IMPLEMENTED'} />,
          },
          {
            id: 'reason',
            header: 'Why',
            text: (r) =>
              r.stateReason ? `${r.stateReason} (${r.stateChangedBy ?? ''}, ${formatTime(r.stateChangedAt)})` : '',
          },
          { id: 'sla', header: 'SLA', text: (r) => formatAge(r.slaSeconds), numeric: true },
          {
            id: 'policy',
            header: 'Policy',
            text: (r) => r.policy.default.replace(/_/g, ' ').toLowerCase(),
          },
          ...(mayOperate
            ? [
                {
                  id: 'action',
                  header: 'Operate',
                  text: () => '',
                  cell: (r: Flow) => (
                    <button
                      type="button"
                      aria-label={`${r.state === 'PAUSED' ? 'Resume' : 'Pause'} ${r.name}`}
                      onClick={() => setActing({ flow: r, to: r.state === 'PAUSED' ? 'RUNNING' : 'PAUSED' })}
                    >
                      {r.state === 'PAUSED' ? 'Resume' : 'Pause'}
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <DataTable
        caption="Flows by legal entity"
        rows={stats}
        rowId={(r) => `${r.flow.id}:${r.legalEntityId}`}
        exportName="flows-by-legal-entity"
        empty="No flow documents in these legal entities."
        columns={[
          { id: 'flow', header: 'Flow', text: (r) => r.flow.name },
          { id: 'le', header: 'Legal entity', text: (r) => r.legalEntityId },
          { id: 'waiting', header: 'Waiting', text: (r) => String(r.waiting), numeric: true },
          { id: 'inProgress', header: 'In progress', text: (r) => String(r.inProgress), numeric: true },
          { id: 'posted', header: 'Posted', text: (r) => String(r.posted), numeric: true },
          { id: 'failed', header: 'Failed', text: (r) => String(r.failed), numeric: true },
          { id: 'oldest', header: 'Oldest waiting since', text: (r) => formatTime(r.oldestWaitingSince) },
          {
            id: 'p50',
            header: 'Invoice → posted p50',
            text: (r) => latencyText(r.latencyP50Seconds, r.slaSeconds),
            cell: (r) => <Latency seconds={r.latencyP50Seconds} sla={r.slaSeconds} />,
            sortValue: (r) => r.latencyP50Seconds ?? -1,
            numeric: true,
          },
          {
            id: 'p95',
            header: 'p95',
            text: (r) => latencyText(r.latencyP95Seconds, r.slaSeconds),
            cell: (r) => <Latency seconds={r.latencyP95Seconds} sla={r.slaSeconds} />,
            sortValue: (r) => r.latencyP95Seconds ?? -1,
            numeric: true,
          },
          { id: 'sla', header: 'SLA', text: (r) => formatAge(r.slaSeconds), numeric: true },
          {
            id: 'breaches',
            header: 'SLA breaches',
            text: (r) => String(r.slaBreaches),
            cell: (r) => <span className={r.slaBreaches > 0 ? 'over-sla' : undefined}>{r.slaBreaches}</span>,
            numeric: true,
          },
        ]}
      />
      {acting && (
        <ReasonDialog
          title={`${acting.to === 'PAUSED' ? 'Pause' : 'Resume'} ${acting.flow.name}`}
          confirm={acting.to === 'PAUSED' ? 'Pause' : 'Resume'}
          onConfirm={async (reason) => {
            const vars = { id: acting.flow.id, reason };
            const r = acting.to === 'PAUSED' ? await pause(vars) : await resume(vars);
            if (r.error) throw new Error(r.error.message);
            const result = r.data && ('pauseFlow' in r.data ? r.data.pauseFlow : r.data.resumeFlow);
            const errors = result?.userErrors ?? [];
            if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
            setOutcome(`${acting.flow.name}: ${acting.to === 'PAUSED' ? 'paused' : 'resumed'}.`);
            reload();
          }}
          onClose={() => setActing(null)}
        />
      )}
    </div>
  );
}

type ReconciliationRow = ReconciliationsQ['reconciliations'][number];

function ReconciliationsPanel({ entities, period, prefix }: { entities: string[]; period: string; prefix: string }) {
  const client = useClient();
  const [rows, setRows] = useState<ReconciliationRow[] | null>(null);
  const key = entities.join(',');
  const load = useCallback(() => {
    void Promise.all(
      key
        .split(',')
        .map((legalEntityId) =>
          client
            .query(
              OverviewReconciliationsQuery,
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
      <h2>Reconciliation · {period}</h2>
      {!rows && <p className="loading">Reconciling…</p>}
      {rows && (
        <DataTable
          caption="Reconciliation by flow and legal entity"
          rows={rows}
          rowId={(r) => `${r.flow.id}:${r.legalEntityId}`}
          exportName={`reconciliation-${period}`}
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
