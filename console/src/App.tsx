import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { SignedIn } from './SignedIn';
import { loadConsoleConfig, type ConsoleConfig } from './auth/ConsoleConfig';
import { completeOidcSignIn, isOidcCallback } from './auth/oidc';
import {
  clearSignInNotice,
  endSession,
  loadSession,
  signInNotice,
  storeSession,
  takeReturnTo,
  type Session,
} from './auth/session';
import { SignIn } from './auth/SignIn';

const EXPIRED = 'Your session has expired. Sign in again to go back to the page you were on.';

/**
 * The console: sign-in until there is a session, then the views. A session that expires (its token's `exp`, or the
 * gateway refusing it) ends here: the page the person was on is remembered and they are back on it after signing in.
 */
export function App() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(() => signInNotice());
  const location = useLocation();
  const navigate = useNavigate();

  useEffect(() => {
    loadConsoleConfig()
      .then(async (c) => {
        setConfig(c);
        if (c.oidc && isOidcCallback()) {
          const s = await completeOidcSignIn(c.oidc);
          storeSession(s);
          setSession(s);
          navigate(takeReturnTo() ?? '/', { replace: true });
        }
      })
      .catch((err: unknown) => setFailure(err instanceof Error ? err.message : String(err)));
  }, [navigate]);

  // Where the person is now, for `expire` (which the GraphQL client keeps for the whole session).
  const here = useRef('/');
  useEffect(() => {
    here.current = `${location.pathname}${location.search}`;
  });
  const expire = useCallback((why: string) => {
    endSession(here.current, why);
    setNotice(why);
    setSession(null);
  }, []);

  // The token's own expiry: the person is sent to sign-in when it runs out, not at their next click.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => expire(EXPIRED), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, expire]);

  const expireSession = useCallback(() => expire(EXPIRED), [expire]);

  const signedIn = (s: Session) => {
    storeSession(s);
    clearSignInNotice();
    setNotice(null);
    setSession(s);
    const to = takeReturnTo();
    if (to) navigate(to, { replace: true });
  };

  if (failure) {
    return (
      <main className="sign-in">
        <h1>finsync console</h1>
        <p className="error" role="alert">
          {failure}
        </p>
      </main>
    );
  }
  if (!session) {
    return config ? (
      <SignIn config={config} notice={notice} onSignedIn={signedIn} />
    ) : (
      <p className="loading">Loading…</p>
    );
  }
  return (
    <SignedIn
      key={session.token}
      session={session}
      onExpired={expireSession}
      onSignOut={() => {
        endSession(null, null);
        setNotice('You have signed out.');
        setSession(null);
      }}
    />
  );
}
