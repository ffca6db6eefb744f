import { z } from 'zod';
import { ROLES } from '../../security/roles';
import type { SecurityConfig } from '../../security/SecurityConfig';
import { signDevelopmentToken } from '../../security/tokens';

/** What the console's development sign-in asks for. */
const requestSchema = z.object({
  subject: z
    .string()
    .regex(/^[A-Za-z0-9._@+:-]{1,128}$/, 'a user id: letters, digits and . _ @ + : -, at most 128 characters'),
  roles: z
    .array(z.string())
    .min(1, 'at least one role')
    .refine((roles) => roles.every((r) => ROLES.includes(r)), { message: `roles are ${ROLES.join(', ')}` }),
  legalEntities: z.array(z.string().regex(/^[A-Z0-9-]{1,32}$/)).min(1, 'at least one legal entity'),
  /** Shorter than the default, e.g. to see what an expired session does. */
  expiresInSeconds: z.number().int().min(5).max(86_400).optional(),
});

/** The outcome of a development sign-in, as data: a token, or why not (an HTTP status and a sentence). */
export type DevelopmentTokenResult =
  | { readonly ok: true; readonly token: string; readonly expiresAt: string; readonly subject: string }
  | { readonly ok: false; readonly status: number; readonly message: string };

/**
 * Signs a development token for a chosen user, roles and legal entities — exactly what `npm run token` signs —
 * for the console's development sign-in. Refused in production mode, and when tokens come from an identity
 * provider (there is no secret to sign with): then the console signs in through OpenID Connect.
 */
export async function developmentToken(
  body: unknown,
  security: SecurityConfig,
  defaultSeconds: number,
): Promise<DevelopmentTokenResult> {
  if (security.production || security.userTokens.kind !== 'secret') {
    return {
      ok: false,
      status: 403,
      message: 'Development sign-in is off: finsync runs in production mode or takes tokens from an identity provider.',
    };
  }
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    };
  }
  const { subject, roles, legalEntities } = parsed.data;
  const seconds = parsed.data.expiresInSeconds ?? defaultSeconds;
  const token = await signDevelopmentToken({ subject, roles, legalEntities }, security, `${seconds}s`);
  return { ok: true, token, subject, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() };
}
