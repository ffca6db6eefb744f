import { forwardedIdentity } from './forwardedIdentity';

describe('forwardedIdentity', () => {
  it('keeps the Authorization header as sent and a plain correlation id', () => {
    expect(forwardedIdentity('Bearer abc.def', 'run-42:req-7')).toEqual({
      authorization: 'Bearer abc.def',
      correlationId: 'run-42:req-7',
    });
  });
  it('makes a correlation id when there is none or it is not a plain token', () => {
    const made = forwardedIdentity(null, 'x\ny');
    expect(made.authorization).toBeNull();
    expect(made.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(forwardedIdentity(undefined, undefined).correlationId).not.toBe(made.correlationId);
  });
});
