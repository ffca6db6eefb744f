import { loadSecurityConfig } from '../../security/SecurityConfig';
import { signDevelopmentToken } from '../../security/tokens';

let token: Promise<string> | null = null;

/** The benchmarks' client: a service principal over both legal entities, with a development token. */
export function benchToken(): Promise<string> {
  token ??= signDevelopmentToken(
    { subject: 'bench', roles: ['service'], legalEntities: ['FS-EU', 'FS-US'] },
    loadSecurityConfig(process.env),
  ).then((t) => `Bearer ${t}`);
  return token;
}
