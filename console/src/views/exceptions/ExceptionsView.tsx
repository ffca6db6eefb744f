import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { useRefetchOnReconnect } from '../../api/ConnectionContext';
import { useMay, useMe } from '../../api/MeContext';
import { DataTable, type Column } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { ReasonDialog } from '../../components/ReasonDialog';
import { StatusBadge } from '../../components/StatusBadge';
import { listOf, useUrlFilters } from '../../components/useUrlFilters';
import type { ExceptionFilter, ExceptionQueueQuery as Q } from '../../graphql/gql/graphql';
import { formatAge, formatMoney, formatTime } from '../../lib/format';
import { ExceptionChangesSubscription, ExceptionFlowsQuery, ExceptionQueueQuery } from './operations';
import { useExceptionActions, type ActionOutcome, type ExceptionAction } from './useExceptionActions';

type Row = Q['exceptions']['edges'][number]['node'];

const DEFAULTS = {
  status: 'OPEN',
  code: '',
  severity: '',
  le: '',
  flow: '',
  source: '',
  owner: '',
  minAge: '',
  text: '',
};
const PAGE = 50;

/** The filters in the URL as the API's ExceptionFilter. */
function filterOf(f: typeof DEFAULTS, me: string): ExceptionFilter {
  const owner = f.owner === 'me' ? me : f.owner;
  return {
    status: listOf(f.status) as ExceptionFilter['status'],
    code: listOf(f.code),
    severity: f.severity || null,
    legalEntityId: listOf(f.le),
    flow: listOf(f.flow),
    sourceSystem: f.source || null,
    owner: owner && owner !== 'unassigned' ? [owner] : null,
    unassigned: owner === 'unassigned' ? true : null,
    minAgeHours: f.minAge ? Number(f.minAge) : null,
    messageContains: f.text || null,
  };
}

/**
 * The exceptions workbench: the queue, oldest first, filtered by code, severity, legal entity, flow, source
 * system, owner and age (all in the URL); a change of any exception (a new one, one resolved at the source, an
 * action someone took) reloads the list, without reloading the page; bulk retry and assign with one reason.
 */
export function ExceptionsView() {
  const me = useMe();
  const mayAct = useMay('act:exceptions');
  const mayReconcile = useMay('read:reconciliation');
  const [f, setF] = useUrlFilters(DEFAULTS);
  const [limit, setLimit] = useState(PAGE);
  const filter = useMemo(() => filterOf(f, me.subject), [f, me.subject]);
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: ExceptionQueueQuery,
    variables: { filter, first: limit },
  });
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useRefetchOnReconnect(refetch);
  const [lastChange, setLastChange] = useState<string | null>(null);
  useSubscription({ query: ExceptionChangesSubscription, variables: {} }, (_prev, event) => {
    const c = event.exceptionStatusChanged;
    setLastChange(`${formatTime(c.changedAt)}: ${c.exception.code} ${c.change.toLowerCase().replace(/_/g, ' ')}`);
    refetch();
    return event;
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<ExceptionAction | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const act = useExceptionActions();
  const rows = data?.exceptions.edges.map((e) => e.node) ?? [];
  const [flowList] = useQuery({ query: ExceptionFlowsQuery, pause: !mayReconcile });
  const flows = flowList.data?.reconciliationFlows ?? [];
  const ids = [...selected].filter((id) => rows.some((r) => r.id === id));

  const columns: Array<Column<Row>> = [
    {
      id: 'created',
      header: 'Raised',
      text: (r) => formatTime(r.createdAt),
      cell: (r) => <Link to={`/exceptions/${r.id}`}>{formatTime(r.createdAt)}</Link>,
    },
    { id: 'age', header: 'Age', text: (r) => formatAge(r.ageSeconds), sortValue: (r) => r.ageSeconds, numeric: true },
    { id: 'code', header: 'Code', text: (r) => r.code },
    { id: 'severity', header: 'Severity', text: (r) => r.severity },
    {
      id: 'message',
      header: 'Message',
      text: (r) => r.message,
      cell: (r) => <span className="message">{r.message}</span>,
    },
    { id: 'le', header: 'Legal entity', text: (r) => r.legalEntityId ?? '' },
    { id: 'flow', header: 'Flow', text: (r) => r.flowId ?? '' },
    {
      id: 'source',
      header: 'Source',
      text: (r) => [r.sourceSystem, r.sourceTable, r.sourceId].filter(Boolean).join(' · '),
    },
    {
      id: 'waiting',
      header: 'Waiting',
      text: (r) =>
        r.waiting.count ? [String(r.waiting.count), ...r.waiting.totals.map((t) => formatMoney(t))].join(' · ') : '',
      sortValue: (r) => r.waiting.count,
      numeric: true,
    },
    { id: 'owner', header: 'Owner', text: (r) => r.owner ?? '' },
    { id: 'status', header: 'Status', text: (r) => r.status, cell: (r) => <StatusBadge status={r.status} /> },
  ];

  const run = async (action: ExceptionAction, reason: string, owner: string) => {
    const out: ActionOutcome = await act(action, ids, reason, owner);
    setOutcome(
      `${out.done} of ${ids.length} ${action === 'assign' ? 'assigned' : action === 'retry' ? 'sent for retry' : `${action}d`}` +
        (out.refused.length ? `; refused: ${out.refused.map((r) => r.message).join('; ')}` : ''),
    );
    setSelected(new Set());
    refetch();
  };

  return (
    <section aria-labelledby="exceptions-title">
      <h1 id="exceptions-title">Exceptions</h1>
      <form className="filters" role="search" aria-label="Filter exceptions" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={f.status} onChange={(e) => setF({ status: e.target.value })}>
            <option value="OPEN">Open</option>
            <option value="RESOLVED">Resolved</option>
            <option value="IGNORED">Ignored</option>
            <option value="OPEN,RESOLVED,IGNORED">Any</option>
          </select>
        </label>
        <label>
          Code
          <input
            value={f.code}
            onChange={(e) => setF({ code: e.target.value.toUpperCase() })}
            placeholder="e.g. PERIOD_CLOSED"
          />
        </label>
        <label>
          Severity
          <select value={f.severity} onChange={(e) => setF({ severity: e.target.value })}>
            <option value="">Any</option>
            <option value="ERROR">Error</option>
            <option value="WARNING">Warning</option>
          </select>
        </label>
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
        {mayReconcile && (
          <label>
            Flow
            <select value={f.flow} onChange={(e) => setF({ flow: e.target.value })}>
              <option value="">Any</option>
              {flows.map((fl) => (
                <option key={fl.id} value={fl.id}>
                  {fl.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Source system
          <select value={f.source} onChange={(e) => setF({ source: e.target.value })}>
            <option value="">Any</option>
            {['erp', 'billing', 'procurement', 'payroll'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Owner
          <input
            value={f.owner}
            onChange={(e) => setF({ owner: e.target.value })}
            placeholder="me, unassigned, or a user id"
            list="owner-choices"
          />
          <datalist id="owner-choices">
            <option value="me" />
            <option value="unassigned" />
          </datalist>
        </label>
        <label>
          Message contains
          <input value={f.text} onChange={(e) => setF({ text: e.target.value })} placeholder="a number, a name…" />
        </label>
        <label>
          Older than (hours)
          <input
            type="number"
            min={0}
            value={f.minAge}
            onChange={(e) => setF({ minAge: e.target.value })}
            className="narrow"
          />
        </label>
      </form>
      <p className="live" role="status" aria-live="polite">
        <span className="dot" aria-hidden="true" /> Live
        {data && <> · {data.exceptions.totalCount} matching</>}
        {lastChange && <> · last change {lastChange}</>}
      </p>
      {outcome && (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      <QueryState fetching={fetching && !data} error={error} what="the exception queue" />
      <DataTable
        caption="Exception queue"
        rows={rows}
        columns={columns}
        rowId={(r) => r.id}
        exportName="exceptions"
        empty="No exception matches these filters."
        selection={mayAct ? { selected, onChange: setSelected } : undefined}
        toolbar={
          mayAct ? (
            <>
              <button type="button" disabled={!ids.length} onClick={() => setDialog('retry')}>
                Retry selected ({ids.length})
              </button>
              <button type="button" disabled={!ids.length} onClick={() => setDialog('assign')}>
                Assign selected ({ids.length})
              </button>
            </>
          ) : null
        }
      />
      {data?.exceptions.pageInfo.hasNextPage && limit < 500 && (
        <button type="button" onClick={() => setLimit(limit + PAGE)}>
          Show {PAGE} more
        </button>
      )}
      {dialog && (
        <ReasonDialog
          title={`${dialog === 'retry' ? 'Retry' : 'Assign'} ${ids.length} exception${ids.length === 1 ? '' : 's'}`}
          confirm={dialog === 'retry' ? 'Retry' : 'Assign'}
          withOwner={dialog === 'assign' ? { initial: me.subject } : undefined}
          onConfirm={(reason, owner) => run(dialog, reason, owner)}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
