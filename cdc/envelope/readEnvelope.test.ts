import { readEnvelope } from './readEnvelope';

const schema = { type: 'struct', fields: [{ type: 'string', field: 'id' }], name: 'x.Envelope' };
const message = (payload: unknown, s: unknown = schema) => Buffer.from(JSON.stringify({ schema: s, payload }));

describe('readEnvelope', () => {
  it('gives what JSON.parse gives, for the first message and for the next ones of the topic', () => {
    for (const p of [{ id: 'a' }, { id: 'b', note: 'payload},"payload":{' }, { id: 'c' }]) {
      const bytes = message(p);
      expect(readEnvelope('t1', bytes)).toEqual(JSON.parse(bytes.toString()));
    }
  });

  it('notices a new schema version and a differently formatted message', () => {
    readEnvelope('t2', message({ id: 'a' }));
    const changed = { ...schema, version: 2 };
    expect(readEnvelope('t2', message({ id: 'b' }, changed))).toEqual({ schema: changed, payload: { id: 'b' } });
    const spaced = Buffer.from(`{ "schema": ${JSON.stringify(changed)}, "payload": {"id": "c"} }`);
    expect(readEnvelope('t2', spaced)).toEqual({ schema: changed, payload: { id: 'c' } });
  });

  it('throws on text that is not JSON, as JSON.parse does', () => {
    readEnvelope('t3', message({ id: 'a' }));
    const broken = Buffer.concat([message({ id: 'a' }).subarray(0, 60), Buffer.from('}')]);
    expect(() => readEnvelope('t3', broken)).toThrow();
  });
});
