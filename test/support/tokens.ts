import type { Principal } from '../../security/Principal';
import { loadSecurityConfig } from '../../security/SecurityConfig';
import { signDevelopmentToken, verifyInternalToken } from '../../security/tokens';

/** The security configuration the in-process gateway and subgraphs of the tests use (the environment's). */
export const testSecurity = loadSecurityConfig(process.env);

/** A controller over both legal entities: sees and may do everything (the tests that are not about access). */
export const CONTROLLER: Principal = {
  subject: 'controller@finsync.test',
  roles: ['controller'],
  legalEntities: ['FS-EU', 'FS-US'],
};

/** An `Authorization` header value for the principal: a development token signed as `npm run token` signs it. */
export async function bearer(principal: Principal = CONTROLLER, expiresIn: string | number = '1h'): Promise<string> {
  return `Bearer ${await signDevelopmentToken(principal, testSecurity, expiresIn)}`;
}

/** The principal an internal token (what a subgraph received from the gateway) stands for. */
export function principalOfInternal(authorization: string | null): Promise<Principal> {
  return verifyInternalToken(authorization, testSecurity);
}
