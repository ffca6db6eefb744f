/**
 * Where the canonical store lives. One environment variable, read once; the default is the local stack's
 * PostgreSQL (trust auth) and the `finsync` database.
 */
export function canonicalDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.FINSYNC_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/finsync';
}
