/** What the gateway says about signing in (GET /console/config.json, gateway/console/serveConsole.ts). */
export interface ConsoleConfig {
  /** development: a token for a chosen user; oidc: the identity provider; none: no way to sign in is configured. */
  readonly signIn: 'development' | 'oidc' | 'none';
  readonly production: boolean;
  readonly oidc: {
    readonly issuer: string;
    readonly clientId: string;
    readonly scope: string;
    readonly resource: string | null;
  } | null;
  readonly roles: readonly string[];
  readonly legalEntities: ReadonlyArray<{ readonly id: string; readonly name: string; readonly baseCurrency: string }>;
}

export const CONSOLE_BASE = '/console';

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const res = await fetch(`${CONSOLE_BASE}/config.json`, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`the gateway answered ${res.status} for the console's configuration`);
  return (await res.json()) as ConsoleConfig;
}
