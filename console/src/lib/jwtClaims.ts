/** The claims the console reads from a bearer token (it never verifies one: the gateway does). */
export interface TokenClaims {
  readonly subject: string;
  /** Expiry, ms since the epoch. */
  readonly expiresAt: number;
}

/** The subject and expiry of a JWT, or null when the text is not one. */
export function jwtClaims(token: string): TokenClaims | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const claims = JSON.parse(json) as { sub?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    return { subject: claims.sub, expiresAt: claims.exp * 1000 };
  } catch {
    return null;
  }
}
