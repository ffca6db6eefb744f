import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { DuplicateDecision } from '../exceptions/DuplicateDecision';
import { useQuery } from 'urql';
import { useMay } from '../../api/MeContext';
import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatTime } from '../../lib/format';
import { VendorDetailQuery } from './operations';

/**
 * One vendor's golden record: its source records, tax id and IBAN (as the API shows them to this principal), its
 * onboarding state, its reconciliation and the open exceptions on it — a possible duplicate among them, with the
 * steward's same / distinct decision.
 */
export function VendorDetail() {
  const { id = '' } = useParams();
  const mayReconcile = useMay('read:reconciliation');
  // A steward reads exceptions but not reconciliation reports: the duplicate candidates are a filter of the queue.
  const mayExceptions = useMay('read:exceptions');
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: VendorDetailQuery,
    variables: { id, withReconciliation: mayReconcile },
  });
  const [outcome, setOutcome] = useState<string | null>(null);
  const v = data?.vendor;
  return (
    <section aria-labelledby="vendor-title">
      <p>
        <Link to="/vendors">← Vendors</Link>
      </p>
      <QueryState fetching={fetching && !data} error={error} what="this vendor" />
      {data && !v && <p>No vendor {id} (or not one you may see).</p>}
      {v && (
        <>
          <h1 id="vendor-title">
            {v.name} <StatusBadge status={v.status} />
          </h1>
          <dl className="facts">
            <dt>Legal entity</dt>
            <dd>{v.legalEntityId}</dd>
            <dt>Tax id</dt>
            <dd data-testid="tax-id">{v.taxId ?? '—'}</dd>
            <dt>IBAN</dt>
            <dd data-testid="iban">{v.iban ?? '—'}</dd>
            <dt>E-mail</dt>
            <dd>{v.email ?? '—'}</dd>
            <dt>Currency</dt>
            <dd>{v.currency ?? '—'}</dd>
            <dt>Country</dt>
            <dd>{v.country ?? '—'}</dd>
            <dt>Onboarding</dt>
            <dd data-testid="onboarding">
              <StatusBadge status={v.activation.state} />{' '}
              {v.activation.activatedAt ? `since ${formatTime(v.activation.activatedAt)}` : v.activation.reason}
            </dd>
            <dt>Last change</dt>
            <dd>
              at source {formatTime(v.sourceUpdatedAt)}, in finsync {formatTime(v.canonicalUpdatedAt)}
            </dd>
            {v.reconciliation && (
              <>
                <dt>Reconciliation</dt>
                <dd>
                  <StatusBadge status={v.reconciliation.status} />
                </dd>
              </>
            )}
          </dl>
          {mayExceptions && (
            <p>
              <Link to={`/exceptions?code=DUPLICATE_VENDOR&text=${encodeURIComponent(v.name)}`}>
                Duplicate-vendor exceptions naming {v.name}
              </Link>
            </p>
          )}
          <h2>Source records</h2>
          <DataTable
            caption="Source records"
            rows={v.sourceReferences}
            rowId={(s) => `${s.system}:${s.sourceTable}:${s.sourceId}`}
            exportName={`vendor-${v.id}-sources`}
            columns={[
              { id: 'system', header: 'System', text: (s) => s.system },
              { id: 'table', header: 'Table', text: (s) => s.sourceTable },
              { id: 'id', header: 'Id', text: (s) => s.sourceId },
              { id: 'role', header: 'Role', text: (s) => s.role },
            ]}
          />
          {v.reconciliation && (
            <>
              <h2>Open exceptions and duplicate candidates</h2>
              {outcome && (
                <p className="notice" role="status">
                  {outcome}
                </p>
              )}
              <DataTable
                caption="Open exceptions of this vendor"
                rows={v.reconciliation.openExceptions}
                rowId={(e) => e.id}
                exportName={`vendor-${v.id}-exceptions`}
                empty="None open."
                columns={[
                  {
                    id: 'code',
                    header: 'Code',
                    text: (e) => e.code,
                    cell: (e) => <Link to={`/exceptions/${e.id}`}>{e.code}</Link>,
                  },
                  { id: 'message', header: 'Message', text: (e) => e.message },
                  { id: 'waiting', header: 'Waiting', text: (e) => String(e.waiting.count), numeric: true },
                  { id: 'raised', header: 'Raised', text: (e) => formatTime(e.createdAt) },
                  {
                    id: 'decision',
                    header: 'Decision',
                    text: () => '',
                    cell: (e) =>
                      e.code === 'DUPLICATE_VENDOR' ? (
                        <span className="row-actions">
                          <DuplicateDecision
                            exceptionId={e.id}
                            onDone={(what) => {
                              setOutcome(what);
                              reexecute({ requestPolicy: 'network-only' });
                            }}
                          />
                        </span>
                      ) : null,
                  },
                ]}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
