import { jwtClaims } from './jwtClaims';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('jwtClaims', () => {
  it('reads the subject and expiry of a token', () => {
    const token = `${b64url({ alg: 'HS256' })}.${b64url({ sub: 'alice@finsync.test', exp: 1_800_000_000, roles: ['x'] })}.sig`;
    expect(jwtClaims(token)).toEqual({ subject: 'alice@finsync.test', expiresAt: 1_800_000_000_000 });
  });

  it('returns null for anything that is not a token with a subject and an expiry', () => {
    expect(jwtClaims('not a token')).toBeNull();
    expect(jwtClaims(`${b64url({})}.${b64url({ sub: 'a' })}.s`)).toBeNull();
    expect(jwtClaims('a.%%%.c')).toBeNull();
  });
});
