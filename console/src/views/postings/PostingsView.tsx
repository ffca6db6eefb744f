import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useRefetchOnReconnect } from '../../api/ConnectionContext';
import { useMay, useMe } from '../../api/MeContext';
import { DataTable, type Column } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { ReasonDialog } from '../../components/ReasonDialog';
import { StatusBadge } from '../../components/StatusBadge';
import { listOf, useUrlFilters } from '../../components/useUrlFilters';
import type { PostingFilter, PostingQueueQuery as Q } from '../../graphql/gql/graphql';
import { formatMoney, formatTime } from '../../lib/format';
import {
  ApprovePostingMutation,
  PostingChangesSubscription,
  PostingQueueQuery,
  RejectPostingMutation,
} from './operations';

type Row = Q['postingsConnection']['edges'][number]['node'];

const DEFAULTS = { status: '', le: '', preparer: '' };
const PAGE = 50;

/**
 * The posting queue, newest first: status, amount, who prepared and approved it, the ERP document once posted.
 * Approve and reject are offered to approvers on postings waiting for approval that someone else prepared —
 * segregation of duties as the API enforces it (which refuses the preparer anyway).
 */
export function PostingsView() {
  const me = useMe();
  const mayApprove = useMay('approve');
  const [f, setF] = useUrlFilters(DEFAULTS);
  const [limit, setLimit] = useState(PAGE);
  const filter: PostingFilter = useMemo(
    () => ({
      status: listOf(f.status) as PostingFilter['status'],
      legalEntityId: listOf(f.le),
      preparer: f.preparer === 'me' ? [me.subject] : listOf(f.preparer),
    }),
    [f, me.subject],
  );
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: PostingQueueQuery,
    variables: { filter, first: limit },
  });
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useRefetchOnReconnect(refetch);
  useSubscription({ query: PostingChangesSubscription }, (_p, event) => {
    refetch();
    return event;
  });
  const [, approve] = useMutation(ApprovePostingMutation);
  const [, reject] = useMutation(RejectPostingMutation);
  const [rejecting, setRejecting] = useState<Row | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const rows = data?.postingsConnection.edges.map((e) => e.node) ?? [];

  const decide = async (row: Row) => {
    const r = await approve({ id: row.id });
    const errors = r.data?.approvePosting.userErrors ?? [];
    setOutcome(
      errors.length
        ? `Not approved: ${errors.map((e) => e.message).join('; ')}`
        : `Approved: ${formatMoney(row.amount)} (${row.legalEntityId}), prepared by ${row.preparer}.`,
    );
    refetch();
  };

  const columns: Array<Column<Row>> = [
    { id: 'created', header: 'Prepared', text: (r) => formatTime(r.createdAt) },
    { id: 'kind', header: 'Kind', text: (r) => r.kind },
    {
      id: 'document',
      header: 'Document',
      text: (r) => r.journal?.number ?? (r.sourceDocument ? `${r.sourceDocument.type} ${r.sourceDocument.id}` : ''),
    },
    { id: 'le', header: 'Legal entity', text: (r) => r.legalEntityId },
    {
      id: 'amount',
      header: 'Amount',
      text: (r) => formatMoney(r.amount),
      sortValue: (r) => Number(r.amount.amount),
      numeric: true,
    },
    { id: 'status', header: 'Status', text: (r) => r.status, cell: (r) => <StatusBadge status={r.status} /> },
    { id: 'preparer', header: 'Preparer', text: (r) => r.preparer },
    { id: 'approver', header: 'Approver', text: (r) => r.approver ?? '' },
    {
      id: 'erp',
      header: 'ERP document',
      text: (r) => r.erpDocument.documentNumber ?? '',
      cell: (r) =>
        r.erpDocument.documentNumber ? (
          <Link to={`/journey?correlationId=${r.correlationId}`}>{r.erpDocument.documentNumber}</Link>
        ) : (
          ''
        ),
    },
    { id: 'confirmation', header: 'Confirmed', text: (r) => r.confirmation.status.replace(/_/g, ' ') },
    {
      id: 'errors',
      header: 'ERP said',
      text: (r) => r.userErrors.map((e) => e.message).join('; '),
    },
    {
      id: 'decision',
      header: 'Decision',
      text: (r) =>
        r.status !== 'PENDING_APPROVAL'
          ? (r.decisionReason ?? '')
          : r.preparer === me.subject
            ? 'Awaiting another approver'
            : '',
      cell: (r) => {
        if (r.status !== 'PENDING_APPROVAL') return r.decisionReason ?? '';
        if (r.preparer === me.subject) return <span className="hint">Awaiting another approver</span>;
        if (!mayApprove) return <span className="hint">Awaiting approval</span>;
        return (
          <span className="row-actions">
            <button type="button" className="primary" onClick={() => void decide(r)}>
              Approve
            </button>
            <button type="button" onClick={() => setRejecting(r)}>
              Reject
            </button>
          </span>
        );
      },
    },
  ];

  return (
    <section aria-labelledby="postings-title">
      <h1 id="postings-title">Postings</h1>
      <form className="filters" role="search" aria-label="Filter postings" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={f.status} onChange={(e) => setF({ status: e.target.value })}>
            <option value="">Any</option>
            {['PENDING_APPROVAL', 'APPROVED', 'SUBMITTED', 'POSTED', 'FAILED', 'REJECTED', 'CANCELLED', 'DRAFT'].map(
              (s) => (
                <option key={s} value={s}>
                  {s.replace(/_/g, ' ').toLowerCase()}
                </option>
              ),
            )}
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
        <label>
          Preparer
          <input
            value={f.preparer}
            onChange={(e) => setF({ preparer: e.target.value })}
            placeholder="me, or a user id"
          />
        </label>
      </form>
      {data && (
        <p className="live" role="status">
          <span className="dot" aria-hidden="true" /> Live · {data.postingsConnection.totalCount} postings
          {data.postingsConnection.totals.map((t) => (
            <span key={t.currency}> · {formatMoney(t.sum)}</span>
          ))}
        </p>
      )}
      {outcome && (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      <QueryState fetching={fetching && !data} error={error} what="the postings" />
      <DataTable
        caption="Postings"
        rows={rows}
        columns={columns}
        rowId={(r) => r.id}
        exportName="postings"
        empty="No posting matches."
      />
      {data?.postingsConnection.pageInfo.hasNextPage && limit < 500 && (
        <button type="button" onClick={() => setLimit(limit + PAGE)}>
          Show {PAGE} more
        </button>
      )}
      {rejecting && (
        <ReasonDialog
          title={`Reject ${formatMoney(rejecting.amount)} prepared by ${rejecting.preparer}`}
          confirm="Reject"
          onConfirm={async (reason) => {
            const r = await reject({ id: rejecting.id, reason });
            const errors = r.data?.rejectPosting.userErrors ?? [];
            if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
            setOutcome(`Rejected: ${formatMoney(rejecting.amount)}.`);
            refetch();
          }}
          onClose={() => setRejecting(null)}
        />
      )}
    </section>
  );
}
