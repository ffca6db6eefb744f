import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useRefetchOnReconnect } from '../../api/ConnectionContext';
import { useMe } from '../../api/MeContext';
import { DataTable, type Column } from '../../components/DataTable';
import { QueryState } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { listOf, useUrlFilters } from '../../components/useUrlFilters';
import type { CounterpartyFilter, VendorListQuery as Q } from '../../graphql/gql/graphql';
import { VendorListQuery } from './operations';

type Row = Q['vendors']['edges'][number]['node'];
const PAGE = 50;

/**
 * Vendors: the golden records with their source records, tax id and IBAN as the API shows them to this principal
 * (masked without read:sensitive — the console never unmasks anything).
 */
export function VendorsView() {
  const me = useMe();
  const [f, setF] = useUrlFilters({ le: '', status: '', name: '' });
  const [limit, setLimit] = useState(PAGE);
  const filter: CounterpartyFilter = useMemo(
    () => ({ legalEntityId: listOf(f.le), status: listOf(f.status), nameContains: f.name || null }),
    [f],
  );
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: VendorListQuery,
    variables: { filter, first: limit },
  });
  useRefetchOnReconnect(() => reexecute({ requestPolicy: 'network-only' }));
  const rows = data?.vendors.edges.map((e) => e.node) ?? [];
  const columns: Array<Column<Row>> = [
    { id: 'name', header: 'Name', text: (r) => r.name, cell: (r) => <Link to={`/vendors/${r.id}`}>{r.name}</Link> },
    { id: 'le', header: 'Legal entity', text: (r) => r.legalEntityId },
    { id: 'status', header: 'Status at source', text: (r) => r.status, cell: (r) => <StatusBadge status={r.status} /> },
    {
      id: 'onboarding',
      header: 'Onboarding',
      text: (r) => r.activation.state,
      cell: (r) => <StatusBadge status={r.activation.state} />,
    },
    { id: 'taxId', header: 'Tax id', text: (r) => r.taxId ?? '' },
    { id: 'iban', header: 'IBAN', text: (r) => r.iban ?? '' },
    { id: 'currency', header: 'Currency', text: (r) => r.currency ?? '' },
    {
      id: 'sources',
      header: 'Source records',
      text: (r) => r.sourceReferences.map((s) => `${s.system}:${s.sourceId}`).join(', '),
    },
  ];
  return (
    <section aria-labelledby="vendors-title">
      <h1 id="vendors-title">Vendors</h1>
      <form className="filters" role="search" aria-label="Filter vendors" onSubmit={(e) => e.preventDefault()}>
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
          Status
          <select value={f.status} onChange={(e) => setF({ status: e.target.value })}>
            <option value="">Any</option>
            {['ACTIVE', 'PENDING', 'INACTIVE', 'BLOCKED'].map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input value={f.name} onChange={(e) => setF({ name: e.target.value })} placeholder="part of the name" />
        </label>
      </form>
      {data && <p className="live">{data.vendors.totalCount} vendors</p>}
      <QueryState fetching={fetching && !data} error={error} what="the vendors" />
      <DataTable caption="Vendors" rows={rows} columns={columns} rowId={(r) => r.id} exportName="vendors" />
      {data?.vendors.pageInfo.hasNextPage && limit < 500 && (
        <button type="button" onClick={() => setLimit(limit + PAGE)}>
          Show {PAGE} more
        </button>
      )}
    </section>
  );
}
