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

type TrailData = Q['auditTrail'];
type Canonical = TrailData['canonicalRecords'][number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The source rows the pipeline saw under this correlation id but never applied (no cross-reference exists for them). */
const unapplied = (t: TrailData): string[] => [
  ...new Set(
    t.events
      .filter((e) => e.sourceSystem && e.sourceTable)
      .map((e) => `${e.sourceSystem} · ${e.sourceTable} · ${e.sourceId}`),
  ),
];

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
 * and outcome, and what stopped it on the way (exceptions, parked changes, what people did). `also` adds the
 * journeys of related rows (an invoice's line that was refused has a correlation id of its own).
 */
export function JourneyView() {
  const [f, setF] = useUrlFilters({ correlationId: '', also: '' });
  const [input, setInput] = useState(f.correlationId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setF({ correlationId: input.trim(), also: '' });
  };
  const related = f.also.split(',').filter((c) => UUID.test(c) && c !== f.correlationId);
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
      {f.correlationId && !UUID.test(f.correlationId) && <p className="error">A correlation id is a UUID.</p>}
      {UUID.test(f.correlationId) && <Trail correlationId={f.correlationId} label="Stages" />}
      {related.map((c) => (
        <div key={c}>
          <h2>Related row ({c})</h2>
          <Trail correlationId={c} label="Stages of a related row" />
        </div>
      ))}
    </section>
  );
}

/** One correlation id's trail as its four stages. */
function Trail({ correlationId, label }: { readonly correlationId: string; readonly label: string }) {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: JourneyQuery, variables: { correlationId } });
  useRefetchOnReconnect(() => reexecute({ requestPolicy: 'network-only' }));
  const t = data?.auditTrail;
  return (
    <>
      <QueryState fetching={fetching && !data} error={error} what="this journey" />
      {t && (
        <ol className="journey" aria-label={label}>
          <li>
            <h2>Source</h2>
            {t.sourceRecords.length === 0 && unapplied(t).length === 0 && <p>No source row.</p>}
            {t.sourceRecords.length === 0 && (
              <ul>
                {unapplied(t).map((key) => (
                  <li key={key}>
                    <strong>{key}</strong> (seen by the pipeline, not applied)
                  </li>
                ))}
              </ul>
            )}
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
    </>
  );
}
