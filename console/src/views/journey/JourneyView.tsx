import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useRefetchOnReconnect } from '../../api/ConnectionContext';
import { QueryState } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { useUrlFilters } from '../../components/useUrlFilters';
import type { JourneyQuery as Q } from '../../graphql/gql/graphql';
import { formatMoney, formatTime } from '../../lib/format';
import { JourneyQuery } from './operations';

type Trail = Q['auditTrail'];
type Canonical = Trail['canonicalRecords'][number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describe(c: Canonical): string {
  if (c.invoice) return `Invoice ${c.invoice.number} · ${c.invoice.status} · ${formatMoney(c.invoice.totalAmount)}`;
  if (c.payment)
    return `Payment ${c.payment.reference ?? ''} · ${c.payment.status} · ${formatMoney(c.payment.totalAmount)}`;
  if (c.journalEntry) return `Journal entry ${c.journalEntry.number ?? ''} · ${c.journalEntry.postingStatus}`;
  if (c.vendor) return `Vendor ${c.vendor.name} · ${c.vendor.status}`;
  if (c.customer) return `Customer ${c.customer.name} · ${c.customer.status}`;
  return `${c.objectType} ${c.canonicalId}`;
}

/**
 * A record's journey, by correlation id: source row → canonical record → ERP document, each stage with its time
 * and outcome, and what stopped it on the way (exceptions, parked changes, what people did).
 */
export function JourneyView() {
  const [f, setF] = useUrlFilters({ correlationId: '' });
  const [input, setInput] = useState(f.correlationId);
  const valid = UUID.test(f.correlationId);
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: JourneyQuery,
    variables: { correlationId: f.correlationId },
    pause: !valid,
  });
  useRefetchOnReconnect(() => reexecute({ requestPolicy: 'network-only' }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setF({ correlationId: input.trim() });
  };
  const t = data?.auditTrail;
  return (
    <section aria-labelledby="journey-title">
      <h1 id="journey-title">Record journey</h1>
      <form className="filters" role="search" onSubmit={submit}>
        <label>
          Correlation id
          <input value={input} onChange={(e) => setInput(e.target.value)} size={40} placeholder="e.g. 7c0e…" />
        </label>
        <button type="submit">Show journey</button>
      </form>
      {f.correlationId && !valid && <p className="error">A correlation id is a UUID.</p>}
      <QueryState fetching={fetching && !data} error={error} what="this journey" />
      {t && (
        <ol className="journey" aria-label="Stages">
          <li>
            <h2>Source</h2>
            {t.sourceRecords.length === 0 && <p>No source row.</p>}
            <ul>
              {t.sourceRecords.map((s) => (
                <li key={`${s.system}:${s.sourceTable}:${s.sourceId}`}>
                  <strong>
                    {s.system} · {s.sourceTable} · {s.sourceId}
                  </strong>{' '}
                  ({s.objectType}), applied {formatTime(s.updatedAt)}
                </li>
              ))}
            </ul>
            {t.parked.map((p) => (
              <p key={`${p.prerequisiteType}:${p.prerequisiteKey}`} className="notice">
                Waiting since {formatTime(p.parkedAt)} for {p.prerequisiteType} {p.prerequisiteKey}: {p.reason}
              </p>
            ))}
          </li>
          <li>
            <h2>Pipeline</h2>
            <ul>
              {t.events.map((ev) => (
                <li key={ev.id}>
                  {formatTime(ev.at)} · <StatusBadge status={ev.stage} /> {ev.stages.join(' → ')}
                  {ev.sourceTable ? ` · ${ev.sourceSystem} ${ev.sourceTable} ${ev.sourceId}` : ''}
                </li>
              ))}
            </ul>
            {t.exceptions.map((e) => (
              <p key={e.id} className={e.status === 'OPEN' ? 'error' : 'notice'}>
                <Link to={`/exceptions/${e.id}`}>{e.code}</Link> <StatusBadge status={e.status} /> raised{' '}
                {formatTime(e.createdAt)}
                {e.resolvedAt ? `, closed ${formatTime(e.resolvedAt)}` : ''}: {e.message}
              </p>
            ))}
            {t.actions.map((a) => (
              <p key={`${a.at}-${a.action}`}>
                {formatTime(a.at)} · {a.actor} · {a.action}: {a.reason} {a.outcome ? `(${a.outcome})` : ''}
              </p>
            ))}
          </li>
          <li>
            <h2>Canonical</h2>
            {t.canonicalRecords.length === 0 && <p>No canonical record.</p>}
            <ul>
              {t.canonicalRecords.map((c) => (
                <li key={c.canonicalId}>{describe(c)}</li>
              ))}
            </ul>
          </li>
          <li>
            <h2>ERP</h2>
            {t.erpDocuments.length === 0 && <p>Not in the ERP yet.</p>}
            <ul>
              {t.erpDocuments.map((d) => (
                <li key={`${d.system}:${d.sourceTable}:${d.sourceId}`}>
                  {d.system} · {d.sourceTable} · {d.sourceId} ({d.objectType}), {formatTime(d.updatedAt)}
                </li>
              ))}
            </ul>
          </li>
        </ol>
      )}
    </section>
  );
}
