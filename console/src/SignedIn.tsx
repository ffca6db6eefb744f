import { useEffect, useMemo, useState } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { Provider, useQuery } from 'urql';
import { ConnectionContext, type ConnectionState } from './api/ConnectionContext';
import { createApiClient } from './api/createApiClient';
import { MeContext, type Me } from './api/MeContext';
import { MeQuery } from './api/operations';
import type { Session } from './auth/session';
import { ExceptionDetail } from './views/exceptions/ExceptionDetail';
import { ExceptionsView } from './views/exceptions/ExceptionsView';
import { JourneyView } from './views/journey/JourneyView';
import { OverviewView } from './views/overview/OverviewView';
import { PostingsView } from './views/postings/PostingsView';
import { ReconciliationDetail } from './views/reconciliation/ReconciliationDetail';
import { ReconciliationView } from './views/reconciliation/ReconciliationView';
import { VendorDetail } from './views/vendors/VendorDetail';
import { VendorsView } from './views/vendors/VendorsView';
import { formatTime } from './lib/format';

interface Props {
  readonly session: Session;
  readonly onExpired: () => void;
  readonly onSignOut: () => void;
}

/** The console once signed in: one GraphQL client (HTTP + graphql-ws) for the session, the principal, the views. */
export function SignedIn({ session, onExpired, onSignOut }: Props) {
  const [connection, setConnection] = useState<ConnectionState>({
    status: 'connected',
    reconnects: 0,
    lastReconnectAt: null,
  });
  const api = useMemo(
    () =>
      createApiClient(session.token, {
        onUnauthenticated: onExpired,
        onDisconnected: () => setConnection((c) => ({ ...c, status: 'reconnecting' })),
        onReconnected: () =>
          setConnection((c) => ({ status: 'connected', reconnects: c.reconnects + 1, lastReconnectAt: new Date() })),
      }),
    // One client per session: the token is its identity (`onExpired` is stable).
    [session.token, onExpired],
  );
  useEffect(() => () => void api.ws.dispose(), [api]);
  return (
    <Provider value={api.client}>
      <ConnectionContext.Provider value={connection}>
        <Shell session={session} onSignOut={onSignOut} />
      </ConnectionContext.Provider>
    </Provider>
  );
}

const NAV: ReadonlyArray<{ to: string; label: string; needs: string }> = [
  { to: '/', label: 'Overview', needs: 'read' },
  { to: '/exceptions', label: 'Exceptions', needs: 'read:exceptions' },
  { to: '/reconciliation', label: 'Reconciliation', needs: 'read:reconciliation' },
  { to: '/postings', label: 'Postings', needs: 'read' },
  { to: '/vendors', label: 'Vendors', needs: 'read' },
  { to: '/journey', label: 'Record journey', needs: 'read:audit' },
];

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [{ data, error }] = useQuery({ query: MeQuery });
  const me: Me | null = data?.me ?? null;
  if (error) {
    return (
      <p className="error" role="alert">
        Could not load who you are: {error.message}
      </p>
    );
  }
  if (!me) return <p className="loading">Signing in…</p>;
  return (
    <MeContext.Provider value={me}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">finsync</span>
        <nav aria-label="Views">
          {NAV.filter((n) => me.permissions.includes(n.needs)).map((n) => (
            <NavLink key={n.to} to={n.to} end={n.to === '/'}>
              {n.label}
            </NavLink>
          ))}
        </nav>
        <div className="who">
          <span data-testid="signed-in-as" title={`${me.roles.join(', ')} · ${me.legalEntities.join(', ')}`}>
            {session.subject} ({me.roles.join(', ')})
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<OverviewView />} />
          <Route path="/exceptions" element={<ExceptionsView />} />
          <Route path="/exceptions/:id" element={<ExceptionDetail />} />
          <Route path="/reconciliation" element={<ReconciliationView />} />
          <Route path="/reconciliation/:flow/:legalEntityId/:period" element={<ReconciliationDetail />} />
          <Route path="/postings" element={<PostingsView />} />
          <Route path="/vendors" element={<VendorsView />} />
          <Route path="/vendors/:id" element={<VendorDetail />} />
          <Route path="/journey" element={<JourneyView />} />
          <Route path="*" element={<p>No such page.</p>} />
        </Routes>
      </main>
    </MeContext.Provider>
  );
}

function ConnectionBanner() {
  return (
    <ConnectionContext.Consumer>
      {(c) =>
        c.status === 'reconnecting' ? (
          <p className="banner warn" role="status">
            Live connection lost: reconnecting…
          </p>
        ) : c.lastReconnectAt ? (
          <p className="banner ok" role="status">
            Reconnected at {formatTime(c.lastReconnectAt.toISOString())}: what this page shows was loaded again.
          </p>
        ) : null
      }
    </ConnectionContext.Consumer>
  );
}
