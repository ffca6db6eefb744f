/** How the gateway serves the operations console (gateway/config.ts parses it from the environment). */
export interface ConsoleOptions {
  /** The built bundle (`npm run console:build` writes it). Env `FINSYNC_CONSOLE_DIR`; default `<repo>/console/dist`. */
  readonly dir: string;
  /**
   * Sign-in in production: OpenID Connect, authorization code with PKCE, against this provider. Env
   * `FINSYNC_OIDC_ISSUER` (the provider's issuer URL), `FINSYNC_OIDC_CLIENT_ID` (a public client registered there
   * with the redirect URI `<gateway>/console/`), `FINSYNC_OIDC_SCOPE` (default `openid profile`) and
   * `FINSYNC_OIDC_RESOURCE` (a resource indicator, RFC 8707, when the provider needs one to issue a JWT access
   * token for finsync's audience). null when no provider is configured.
   */
  readonly oidc: {
    readonly issuer: string;
    readonly clientId: string;
    readonly scope: string;
    readonly resource: string | null;
  } | null;
  /** How long a development token from the console's sign-in lives, seconds. Env `FINSYNC_DEV_TOKEN_TTL_S`; default 28800 (8 h). */
  readonly developmentTokenSeconds: number;
}
