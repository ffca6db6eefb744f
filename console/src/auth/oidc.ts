import * as oauth from 'oauth4webapi';
import type { ConsoleConfig } from './ConsoleConfig';
import { CONSOLE_BASE } from './ConsoleConfig';
import { sessionOf, type Session } from './session';

type OidcSettings = NonNullable<ConsoleConfig['oidc']>;

const PENDING_KEY = 'finsync.console.oidc';

/** The console's redirect URI: its own root, where `completeOidcSignIn` picks the code up. */
const redirectUri = () => `${window.location.origin}${CONSOLE_BASE}/`;

/**
 * Plain http only to a provider on this machine (a developer's or a test's own): oauth4webapi refuses http
 * otherwise, as it should.
 */
const insecureAllowed = (issuer: URL) =>
  issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);

async function authorizationServer(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: insecureAllowed(issuer) }),
  );
}

/**
 * Starts OpenID Connect sign-in: the authorization code flow with PKCE (RFC 7636) for a public client. The code
 * verifier and state stay in this tab's sessionStorage until the provider sends the person back.
 */
export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  const as = await authorizationServer(settings);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', settings.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  if (settings.resource) url.searchParams.set('resource', settings.resource);
  window.location.assign(url.href);
}

/** True when the page is the provider's answer (a code or an error, with the state this tab sent). */
export function isOidcCallback(): boolean {
  const q = new URLSearchParams(window.location.search);
  return (q.has('code') || q.has('error')) && q.has('state') && sessionStorage.getItem(PENDING_KEY) !== null;
}

/** Exchanges the code for tokens (with the PKCE verifier); the access token becomes the session's bearer token. */
export async function completeOidcSignIn(settings: OidcSettings): Promise<Session> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending.verifier || !pending.state) throw new Error('This sign-in was not started here: start it again.');
  const as = await authorizationServer(settings);
  const client: oauth.Client = { client_id: settings.clientId };
  const params = oauth.validateAuthResponse(as, client, new URL(window.location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    {
      [oauth.allowInsecureRequests]: insecureAllowed(new URL(settings.issuer)),
      ...(settings.resource ? { additionalParameters: { resource: settings.resource } } : {}),
    },
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  const session = sessionOf(result.access_token, 'oidc');
  if (!session) throw new Error('The identity provider did not issue a JWT access token finsync can use.');
  return session;
}
