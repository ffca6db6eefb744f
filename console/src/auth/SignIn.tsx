import { useId, useState, type FormEvent } from 'react';
import { useLocation } from 'react-router';
import { CONSOLE_BASE, type ConsoleConfig } from './ConsoleConfig';
import { startOidcSignIn } from './oidc';
import { rememberPage, sessionOf, type Session } from './session';

interface Props {
  readonly config: ConsoleConfig;
  readonly notice: string | null;
  readonly onSignedIn: (session: Session) => void;
}

/**
 * Sign-in. In development a token for a chosen user, roles and legal entities (the gateway signs it, and refuses in
 * production mode); in production OpenID Connect against the configured identity provider.
 */
export function SignIn({ config, notice, onSignedIn }: Props) {
  const location = useLocation();
  const [oidcError, setOidcError] = useState<string | null>(null);
  const startOidc = () => {
    rememberPage(`${location.pathname}${location.search}`);
    startOidcSignIn(config.oidc!).catch((err: unknown) =>
      setOidcError(`The identity provider could not be reached: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  return (
    <main className="sign-in">
      <h1>finsync console</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {config.signIn === 'development' && <DevelopmentSignIn config={config} onSignedIn={onSignedIn} />}
      {config.signIn === 'oidc' && config.oidc && (
        <section aria-labelledby="oidc-title">
          <h2 id="oidc-title">Sign in</h2>
          <p>You sign in with your organisation&apos;s account ({new URL(config.oidc.issuer).host}).</p>
          <button type="button" className="primary" onClick={startOidc}>
            Sign in with your organisation
          </button>
          {oidcError && (
            <p className="error" role="alert">
              {oidcError}
            </p>
          )}
        </section>
      )}
      {config.signIn === 'none' && (
        <p className="error" role="alert">
          No way to sign in is configured: set FINSYNC_OIDC_ISSUER and FINSYNC_OIDC_CLIENT_ID on the gateway.
        </p>
      )}
    </main>
  );
}

/** How long a development session lasts; the short ones show what an expired session does. */
const SESSION_LENGTHS: ReadonlyArray<{ readonly seconds: number; readonly label: string }> = [
  { seconds: 8 * 3600, label: '8 hours' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 20, label: '20 seconds (to see an expired session)' },
];

function DevelopmentSignIn({ config, onSignedIn }: Omit<Props, 'notice'>) {
  const [subject, setSubject] = useState('');
  const [roles, setRoles] = useState<string[]>(['accountant']);
  const [entities, setEntities] = useState<string[]>(config.legalEntities.map((l) => l.id));
  const [seconds, setSeconds] = useState(SESSION_LENGTHS[0]!.seconds);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const subjectId = useId();
  const lengthId = useId();
  const toggle = (list: string[], value: string, on: boolean) =>
    on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`${CONSOLE_BASE}/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: subject.trim(), roles, legalEntities: entities, expiresInSeconds: seconds }),
      });
      const body = (await res.json()) as { token?: string; error?: string };
      const session = body.token ? sessionOf(body.token, 'development') : null;
      if (!res.ok || !session) throw new Error(body.error ?? `the gateway answered ${res.status}`);
      onSignedIn(session);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="dev-title">
      <h2 id="dev-title">Development sign-in</h2>
      <p className="hint">
        finsync is not in production mode: choose who you are. The gateway signs a development token, as{' '}
        <code>npm run token</code> does.
      </p>
      <p>
        <label htmlFor={subjectId}>User id</label>
        <input
          id={subjectId}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          placeholder="you@example.com"
          required
          autoFocus
          autoComplete="username"
        />
      </p>
      <fieldset>
        <legend>Roles</legend>
        {config.roles.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles(toggle(roles, r, e.target.checked))}
            />
            {r}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Legal entities</legend>
        {config.legalEntities.map((l) => (
          <label key={l.id} className="check">
            <input
              type="checkbox"
              checked={entities.includes(l.id)}
              onChange={(e) => setEntities(toggle(entities, l.id, e.target.checked))}
            />
            {l.id} — {l.name}
          </label>
        ))}
      </fieldset>
      <p>
        <label htmlFor={lengthId}>Session length</label>
        <select id={lengthId} value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
          {SESSION_LENGTHS.map((l) => (
            <option key={l.seconds} value={l.seconds}>
              {l.label}
            </option>
          ))}
        </select>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || !roles.length || !entities.length}>
        Sign in
      </button>
    </form>
  );
}
