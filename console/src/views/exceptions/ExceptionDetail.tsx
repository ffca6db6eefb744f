import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { useRefetchOnReconnect } from '../../api/ConnectionContext';
import { useMay, useMe } from '../../api/MeContext';
import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { ReasonDialog } from '../../components/ReasonDialog';
import { StatusBadge } from '../../components/StatusBadge';
import { formatAge, formatMoney, formatTime } from '../../lib/format';
import { DuplicateDecision } from './DuplicateDecision';
import { ExceptionChangesSubscription, ExceptionDetailQuery, ExceptionTrailQuery } from './operations';
import { useExceptionActions, type ExceptionAction } from './useExceptionActions';

const LABEL: Readonly<Record<ExceptionAction, string>> = {
  assign: 'Assign owner',
  retry: 'Retry',
  resolve: 'Resolve',
  ignore: 'Ignore',
};

/**
 * One exception: its message, the source change the pipeline kept, the record's audit trail, what people did; the
 * actions (assign, retry, resolve, ignore), each asking for a reason, for those who may act on exceptions.
 */
export function ExceptionDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const mayAct = useMay('act:exceptions');
  const mayAudit = useMay('read:audit');
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ExceptionDetailQuery, variables: { id } });
  const e = data?.exception;
  const [trail, reexecuteTrail] = useQuery({
    query: ExceptionTrailQuery,
    variables: { correlationId: e?.correlationId ?? '' },
    pause: !e?.correlationId || !mayAudit,
  });
  const refetch = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
    reexecuteTrail({ requestPolicy: 'network-only' });
  }, [reexecute, reexecuteTrail]);
  useRefetchOnReconnect(refetch);
  useSubscription({ query: ExceptionChangesSubscription, variables: {} }, (_p, event) => {
    if (event.exceptionStatusChanged.exception.id === id) refetch();
    return event;
  });
  const [dialog, setDialog] = useState<ExceptionAction | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const act = useExceptionActions();

  if (!e) {
    return (
      <section>
        <h1>Exception</h1>
        <QueryState fetching={fetching} error={error} what="this exception" />
        {!fetching && !error && <p>No exception {id} (or not one you may see).</p>}
      </section>
    );
  }
  let sourceEvent = e.sourceEvent ?? '';
  try {
    sourceEvent = JSON.stringify(JSON.parse(sourceEvent), null, 2);
  } catch {
    /* shown as stored */
  }
  const run = async (action: ExceptionAction, reason: string, owner: string) => {
    const out = await act(action, [e.id], reason, owner);
    if (out.refused.length) throw new Error(out.refused[0]!.message);
    setOutcome(`${LABEL[action]}: done.`);
    refetch();
  };
  return (
    <section aria-labelledby="exception-title">
      <p>
        <Link to="/exceptions">← Exceptions</Link>
      </p>
      <h1 id="exception-title">
        {e.code} <StatusBadge status={e.status} />
      </h1>
      <p className="message lead">{e.message}</p>
      {e.status === 'OPEN' && (mayAct || e.code === 'DUPLICATE_VENDOR') && (
        <div className="actions" role="group" aria-label="Actions">
          {mayAct &&
            (Object.keys(LABEL) as ExceptionAction[]).map((a) => (
              <button key={a} type="button" onClick={() => setDialog(a)}>
                {LABEL[a]}
              </button>
            ))}
          {e.code === 'DUPLICATE_VENDOR' && (
            <DuplicateDecision
              exceptionId={e.id}
              onDone={(what) => {
                setOutcome(what);
                refetch();
              }}
            />
          )}
        </div>
      )}
      {outcome && (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      <dl className="facts">
        <dt>Severity</dt>
        <dd>{e.severity}</dd>
        <dt>Rule</dt>
        <dd>{e.ruleId ? `${e.ruleId}@${e.ruleVersion ?? ''}` : '—'}</dd>
        <dt>Record</dt>
        <dd>
          {e.objectType ?? '—'} {e.field ? `(field ${e.field})` : ''}
        </dd>
        <dt>Legal entity</dt>
        <dd>{e.legalEntityId ?? '—'}</dd>
        <dt>Flow</dt>
        <dd>{e.flowId ?? '—'}</dd>
        <dt>Source row</dt>
        <dd>{[e.sourceSystem, e.sourceTable, e.sourceId].filter(Boolean).join(' · ') || '—'}</dd>
        <dt>Raised</dt>
        <dd>
          {formatTime(e.createdAt)} ({formatAge(e.ageSeconds)} ago)
        </dd>
        <dt>Owner</dt>
        <dd data-testid="owner">{e.owner ?? 'nobody'}</dd>
        <dt>Waiting on it</dt>
        <dd data-testid="waiting">
          {e.waiting.count
            ? `${e.waiting.count} document${e.waiting.count === 1 ? '' : 's'}${
                e.waiting.totals.length ? `, ${e.waiting.totals.map((t) => formatMoney(t)).join(', ')}` : ''
              }${e.waiting.oldestSince ? `, since ${formatTime(e.waiting.oldestSince)}` : ''}`
            : 'nothing'}
        </dd>
        <dt>Retries</dt>
        <dd>{e.retryCount}</dd>
        {e.resolvedAt && (
          <>
            <dt>Closed</dt>
            <dd>
              {formatTime(e.resolvedAt)}: {e.resolutionReason}
            </dd>
          </>
        )}
        <dt>Correlation id</dt>
        <dd>
          {e.correlationId ? (
            mayAudit ? (
              <Link to={`/journey?correlationId=${e.correlationId}`}>{e.correlationId}</Link>
            ) : (
              e.correlationId
            )
          ) : (
            '—'
          )}
        </dd>
      </dl>
      {e.waitingDocuments.length > 0 && (
        <>
          <h2>Documents waiting on it</h2>
          <DataTable
            caption="Documents waiting on this exception"
            rows={e.waitingDocuments}
            rowId={(d) => `${d.sourceSystem}:${d.sourceTable}:${d.sourceId}`}
            exportName={`exception-${e.id}-waiting`}
            columns={[
              { id: 'source', header: 'Document', text: (d) => `${d.sourceSystem} · ${d.sourceTable} · ${d.sourceId}` },
              { id: 'amount', header: 'Amount', text: (d) => formatMoney(d.amount), numeric: true },
              { id: 'waitsFor', header: 'Waits for', text: (d) => d.waitsFor },
              { id: 'since', header: 'Since', text: (d) => formatTime(d.since) },
            ]}
          />
        </>
      )}
      <h2>What people did</h2>
      <DataTable
        caption="Actions on this exception"
        rows={e.actions}
        rowId={(a) => `${a.at}-${a.action}`}
        exportName={`exception-${e.id}-actions`}
        empty="Nobody has acted on it yet."
        columns={[
          { id: 'at', header: 'When', text: (a) => formatTime(a.at) },
          { id: 'action', header: 'Action', text: (a) => a.action },
          { id: 'actor', header: 'By', text: (a) => a.actor },
          { id: 'reason', header: 'Reason', text: (a) => a.reason },
          {
            id: 'change',
            header: 'Change',
            text: (a) =>
              a.action === 'ASSIGN'
                ? `owner ${a.ownerBefore ?? 'nobody'} → ${a.ownerAfter ?? 'nobody'}`
                : `${a.statusBefore} → ${a.statusAfter}`,
          },
          {
            id: 'outcome',
            header: 'Outcome',
            text: (a) => a.outcome ?? (a.action === 'RETRY' && !a.processedAt ? 'waiting' : ''),
          },
        ]}
      />
      {mayAudit && (
        <>
          <h2>Audit trail of the record</h2>
          <QueryState fetching={trail.fetching && !trail.data} error={trail.error} what="the audit trail" />
          <DataTable
            caption="Audit trail"
            rows={trail.data?.auditTrail.events ?? []}
            rowId={(ev) => ev.id}
            exportName={`exception-${e.id}-trail`}
            columns={[
              { id: 'at', header: 'When', text: (ev) => formatTime(ev.at) },
              { id: 'stage', header: 'Outcome', text: (ev) => ev.stage },
              { id: 'stages', header: 'Stages', text: (ev) => ev.stages.join(' → ') },
              {
                id: 'source',
                header: 'Source row',
                text: (ev) => [ev.sourceSystem, ev.sourceTable, ev.sourceId].filter(Boolean).join(' · '),
              },
            ]}
          />
        </>
      )}
      <h2>Source change, as the pipeline stored it</h2>
      <pre className="source-event" tabIndex={0} aria-label="Source change">
        {sourceEvent || '—'}
      </pre>
      {dialog && (
        <ReasonDialog
          title={`${LABEL[dialog]}: ${e.code}`}
          confirm={LABEL[dialog]}
          withOwner={dialog === 'assign' ? { initial: e.owner ?? me.subject } : undefined}
          onConfirm={(reason, owner) => run(dialog, reason, owner)}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
