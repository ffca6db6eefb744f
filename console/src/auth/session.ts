import { jwtClaims } from '../lib/jwtClaims';

/** A signed-in person: the bearer token every request carries, and what the console shows of it. */
export interface Session {
  readonly token: string;
  readonly subject: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
  /** How the person signed in. */
  readonly via: 'development' | 'oidc';
}

const SESSION_KEY = 'finsync.console.session';
const RETURN_KEY = 'finsync.console.returnTo';
const NOTICE_KEY = 'finsync.console.signInNotice';

/**
 * The session lives in sessionStorage: one tab, gone when the tab closes, never a cookie the browser would send to
 * anything else.
 */
export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    return s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function sessionOf(token: string, via: Session['via']): Session | null {
  const claims = jwtClaims(token);
  return claims ? { token, via, subject: claims.subject, expiresAt: claims.expiresAt } : null;
}

export function storeSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

/**
 * Ends the session and remembers the page the person was on (path and query: its filters), so that signing in again
 * brings them back to it; `notice` is said on the sign-in page.
 */
export function endSession(returnTo: string | null, notice: string | null): void {
  sessionStorage.removeItem(SESSION_KEY);
  if (returnTo) sessionStorage.setItem(RETURN_KEY, returnTo);
  if (notice) sessionStorage.setItem(NOTICE_KEY, notice);
  else sessionStorage.removeItem(NOTICE_KEY);
}

/** Remembers the page to come back to after a sign-in that leaves the console (the identity provider's pages). */
export function rememberPage(path: string): void {
  if (!sessionStorage.getItem(RETURN_KEY)) sessionStorage.setItem(RETURN_KEY, path);
}

/** The page to go back to after signing in (once), and why the person is signing in again. */
export function takeReturnTo(): string | null {
  const to = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return to;
}

export function signInNotice(): string | null {
  return sessionStorage.getItem(NOTICE_KEY);
}

export function clearSignInNotice(): void {
  sessionStorage.removeItem(NOTICE_KEY);
}
