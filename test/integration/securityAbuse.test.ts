/**
 * Issue 6, the gateway under attack, on the real stack: tokens that must be refused (expired, wrong audience or
 * issuer, `alg: none`, another key, an internal token), subgraphs called directly, abuse queries (deep nesting,
 * 1,000 aliases, oversized pages, a cost bomb, a 10 MB body) refused before any subgraph is called while a normal
 * client keeps getting its answer, a rate limit per principal, a seeded fuzz of malformed documents and variables
 * that gets only well-formed GraphQL errors and writes nothing, and logs that never hold a token, an IBAN or a
 * password.
 */
import { generateKeyPair, SignJWT } from 'jose';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { createLogger } from '../../security/createLogger';
import type { Principal } from '../../security/Principal';
import { signInternalToken } from '../../security/tokens';
import { gql, seededFederation, type SeededFederation } from '../support/seededFederation';
import { bearer, CONTROLLER, testSecurity } from '../support/tokens';
import { wsClient } from '../support/wsClient';

const ANALYST: Principal = { subject: 'analyst-eu@finsync.test', roles: ['analyst'], legalEntities: ['FS-EU'] };
const secret = () => {
  if (testSecurity.userTokens.kind !== 'secret') throw new Error('the tests sign HS256 development tokens');
  return testSecurity.userTokens.secret;
};
const claims = { roles: ['controller'], legal_entities: ['FS-EU', 'FS-US'] };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const ATTACKER_SECRET = new TextEncoder().encode('an-attacker-secret-that-is-long-enough-to-sign');
/** A controller's claims in a token signed as asked: the configured issuer, audience and secret unless overridden. */
const forge = (o: { iss?: string; aud?: string; alg?: string; key?: Parameters<SignJWT['sign']>[0] } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'HS256' })
    .setSubject('mallory')
    .setIssuer(o.iss ?? testSecurity.issuer)
    .setAudience(o.aud ?? testSecurity.audience)
    .setExpirationTime('1h')
    .sign(o.key ?? secret());

/** POST a raw body to a URL; the status, content type and text of the answer. */
async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
    headers: res.headers,
  };
}

/** Canonical rows, postings and exceptions: what a request must not create by being malformed. */
const WRITTEN = [
  'vendor',
  'customer',
  'invoice',
  'invoice_line',
  'payment',
  'payment_allocation',
  'journal_entry',
  'journal_line',
  'source_reference',
  'exception',
  'exception_action',
  'posting',
  'posting_queue',
  'outbox',
];

describe('the gateway under attack', () => {
  let s: SeededFederation;
  let url: string;
  let controller: string;
  let invoiceCount: number;
  const rowCounts = async () => {
    const parts = WRITTEN.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(', ');
    return (await s.pool.query<Record<string, number>>(`select ${parts}`)).rows[0]!;
  };
  /** A reporting query a normal client sends: its own entity's invoices and their total count. */
  const NORMAL = `query($p: String!) { invoices(first: 20, filter: { numberPrefix: $p }) { totalCount edges { node { number } } } }`;

  beforeAll(async () => {
    s = await seededFederation('abuse', ['--size', '20'], { FINSYNC_RATE_LIMIT_PER_MINUTE: '100000' });
    url = s.fed.gatewayUrl;
    controller = await bearer(CONTROLLER);
    const { rows } = await s.pool.query<{ n: number }>(
      `select count(*)::int as n from invoice where number like $1 || '%' and not deleted_at_source`,
      [s.prefix],
    );
    invoiceCount = rows[0]!.n;
    expect(invoiceCount).toBeGreaterThan(20);
  }, 300_000);

  afterAll(async () => {
    await s?.stop();
  });

  describe('tokens', () => {
    const refusals: Array<[string, () => Promise<string | null>, RegExp]> = [
      ['no Authorization header', async () => null, /a bearer token is required/],
      ['a bearer value that is not a JWT', async () => 'Bearer not.a.jwt', /not a valid JWT/],
      ['an expired token', async () => bearer(CONTROLLER, Math.floor(Date.now() / 1000) - 60), /the token has expired/],
      [
        'a wrong audience',
        async () => `Bearer ${await forge({ aud: 'another-service' })}`,
        /aud claim is not accepted/,
      ],
      ['a wrong issuer', async () => `Bearer ${await forge({ iss: 'someone-else' })}`, /iss claim is not accepted/],
      [
        'alg: none',
        async () => {
          const exp = Math.floor(Date.now() / 1000) + 3600;
          const payload = { ...claims, sub: 'mallory', iss: testSecurity.issuer, aud: testSecurity.audience, exp };
          return `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
        },
        /the token's algorithm is not accepted/,
      ],
      [
        'a token signed with another secret',
        async () => `Bearer ${await forge({ key: ATTACKER_SECRET })}`,
        /not signed by a key finsync trusts/,
      ],
      [
        'an RS256 token from a key nobody published',
        async () => {
          const { privateKey } = await generateKeyPair('RS256');
          return `Bearer ${await forge({ alg: 'RS256', key: privateKey })}`;
        },
        /algorithm is not accepted/,
      ],
      [
        "the gateway's own internal token, replayed at the gateway",
        async () => `Bearer ${await signInternalToken(CONTROLLER, testSecurity)}`,
        /not signed by a key finsync trusts/,
      ],
    ];

    it.each(refusals)('refuses %s with HTTP 401 and says why, without data', async (_case, token, reason) => {
      const authorization = await token();
      const res = await post(url, JSON.stringify({ query: '{ invoices(first: 1) { totalCount } }' }), {
        ...(authorization ? { authorization } : {}),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = JSON.parse(res.text) as { data?: unknown; errors: Array<{ message: string; extensions: object }> };
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(body.errors[0]!.message).toMatch(reason);
    });

    it('keeps the health endpoints open without a token', async () => {
      for (const path of ['/healthz', '/readyz']) {
        const res = await fetch(url.replace('/graphql', path));
        expect(res.status).toBe(200);
      }
    });

    it('closes a graphql-ws connection without a valid token with 4401, and accepts a valid one', async () => {
      const closeCode = async (params: Record<string, string>) => {
        const client = wsClient(url, params);
        const closed = new Promise<number>((resolve) =>
          client.on('closed', (e) => resolve((e as { code: number }).code)),
        );
        const connected = new Promise<'connected'>((resolve) => client.on('connected', () => resolve('connected')));
        const it = client.iterate({ query: 'subscription { invoiceStatusChanged { invoice { id } } }' });
        void it.next().catch(() => undefined);
        const outcome = await Promise.race([closed, connected]);
        await client.dispose();
        return outcome;
      };
      expect(await closeCode({})).toBe(4401);
      expect(await closeCode({ authorization: await bearer(CONTROLLER, Math.floor(Date.now() / 1000) - 60) })).toBe(
        4401,
      );
      expect(await closeCode({ authorization: 'Bearer not.a.jwt' })).toBe(4401);
      expect(await closeCode({ authorization: controller })).toBe('connected');
    });

    it('every subgraph refuses a direct call without the internal token, with a user token, or with a forged one', async () => {
      const forged = await forge({ iss: 'finsync-gateway', aud: 'finsync-subgraphs', key: ATTACKER_SECRET });
      const internal = `Bearer ${await signInternalToken(CONTROLLER, testSecurity)}`;
      expect(s.fed.subgraphs).toHaveLength(6);
      for (const sub of s.fed.subgraphs) {
        const call = (headers: Record<string, string>) =>
          post(sub.url, JSON.stringify({ query: '{ __typename }' }), headers);
        for (const headers of <Array<Record<string, string>>>[
          {},
          { authorization: controller },
          { authorization: `Bearer ${forged}` },
        ]) {
          const res = await call(headers);
          expect([sub.name, res.status]).toEqual([sub.name, 401]);
          expect(JSON.parse(res.text)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
        }
        // The gateway's token for this principal is what opens it.
        const ok = await call({ authorization: internal });
        expect([sub.name, ok.status, JSON.parse(ok.text)]).toEqual([sub.name, 200, { data: { __typename: 'Query' } }]);
      }
    });
  });

  describe('abuse queries', () => {
    const nested = (levels: number) =>
      '{ ' + 'invoices(first: 1) { edges { node { vendor { '.repeat(levels) + 'id' + ' } } } }'.repeat(levels) + ' }';
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const tokens = (n: number) => `{ ${'__typename '.repeat(n)}}`;
    const bomb = `{ invoices(first: 500) { edges { node { vendor { invoices(first: 500) { edges { node {
      payments { reference } } } } } } } } }`;
    const ABUSE: Array<[string, string, number, RegExp, string]> = [
      [
        'deep nesting (5 levels of invoice → vendor, depth 21)',
        nested(5),
        400,
        /^Syntax Error: Query depth limit of 12 exceeded, found 21\.$/,
        'GRAPHQL_VALIDATION_FAILED',
      ],
      [
        '1,000 aliases',
        aliases(1000),
        400,
        /^Syntax Error: Aliases limit of 30 exceeded, found 1000\.$/,
        'GRAPHQL_VALIDATION_FAILED',
      ],
      ['5,000 tokens', tokens(5000), 400, /token limit of 4000/i, ''],
      [
        'an oversized page (first: 100000)',
        '{ invoices(first: 100000) { edges { node { id number } } } }',
        400,
        /estimated cost is 200001, over the limit of 50000/,
        'COST_LIMIT_EXCEEDED',
      ],
      ['a cost bomb (two nested pages of 500)', bomb, 400, /over the limit of 50000/, 'COST_LIMIT_EXCEEDED'],
    ];

    it.each(ABUSE)(
      'refuses %s with a clear error, before any subgraph is called',
      async (_case, query, status, message, code) => {
        const correlationId = `abuse-${Math.random().toString(36).slice(2)}`;
        const res = await post(url, JSON.stringify({ query }), {
          authorization: controller,
          'x-correlation-id': correlationId,
        });
        expect(res.status).toBe(status);
        const body = JSON.parse(res.text) as {
          data?: unknown;
          errors: Array<{ message: string; extensions?: { code?: string } }>;
        };
        expect(body.data ?? null).toBeNull();
        expect(body.errors).toHaveLength(1);
        expect(body.errors[0]!.message).toMatch(message);
        if (code) expect(body.errors[0]!.extensions?.code).toBe(code);
        expect(s.fed.reports.filter((r) => r.correlationId === correlationId)).toEqual([]);
      },
    );

    it('refuses a page over the cap of 500 in the subgraph, naming the argument and the rule', async () => {
      const body = await gql(url, '{ invoices(first: 501) { totalCount } }');
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0]?.message).toMatch(/^first: must be an integer from 0 to 500, got 501/);
    });

    it('refuses a 10 MB body with HTTP 413 before reading it as GraphQL', async () => {
      const query = `{ __typename } # ${'x'.repeat(10 * 1024 * 1024)}`;
      const res = await post(url, JSON.stringify({ query }), { authorization: controller });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text)).toEqual({
        errors: [{ message: 'The request body is over 1048576 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
      });
    });

    it('keeps answering a normal client, exactly, while abuse queries arrive side by side', async () => {
      const abuse = Array.from({ length: 4 }, () =>
        ABUSE.map(([, query]) => post(url, JSON.stringify({ query }), { authorization: controller })),
      ).flat();
      const big = post(url, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(10 * 1024 * 1024)}` }), {
        authorization: controller,
      });
      const normal = Array.from({ length: 5 }, () =>
        gql<{ invoices: { totalCount: number; edges: unknown[] } }>(
          url,
          NORMAL,
          { p: s.prefix },
          { authorization: controller },
        ),
      );
      const [answers, refused, huge] = await Promise.all([Promise.all(normal), Promise.all(abuse), big]);
      for (const a of answers) {
        expect(a.errors).toBeUndefined();
        expect(a.data!.invoices.totalCount).toBe(invoiceCount);
        expect(a.data!.invoices.edges).toHaveLength(20);
      }
      expect(refused.map((r) => r.status)).toEqual(refused.map(() => 400));
      expect(huge.status).toBe(413);
    });

    it('limits requests per principal (429 with Retry-After) without slowing down another principal', async () => {
      const limited = await s.fed.startGateway({ FINSYNC_RATE_LIMIT_PER_MINUTE: '5' }, createLogger('gateway', 'warn'));
      try {
        const ask = async (authorization: string) =>
          post(limited.url, JSON.stringify({ query: '{ invoices(first: 1) { totalCount } }' }), { authorization });
        const statuses: number[] = [];
        for (let i = 0; i < 7; i++) statuses.push((await ask(controller)).status);
        expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
        const last = await ask(controller);
        expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(JSON.parse(last.text).errors[0]).toMatchObject({
          message: expect.stringMatching(/^Too many requests from controller@finsync.test: try again in \d+ s\.$/),
          extensions: { code: 'RATE_LIMITED' },
        });
        expect((await ask(await bearer(ANALYST))).status).toBe(200);
      } finally {
        await limited.stop();
      }
    });
  });

  describe('fuzz: malformed documents and variables (seeded)', () => {
    const BASES: Array<[string, Record<string, unknown>]> = [
      [NORMAL, { p: 'S' }],
      [
        'query($id: ID!) { invoice(id: $id) { number vendor { name iban taxId } payments { reference } } }',
        { id: 'x' },
      ],
      [
        'query($f: InvoiceFilter, $n: Int) { invoices(filter: $f, first: $n) { totals { currency count sum { amount } } } }',
        {},
      ],
      [
        'query($le: ID!, $p: String!) { reconciliations(legalEntityId: $le, period: $p) { status } }',
        { le: 'FS-EU', p: '2026-11' },
      ],
      ['query($n: Int) { exceptions(first: $n) { totalCount edges { node { code message } } } }', { n: 3 }],
      ['mutation($id: ID!) { retryPosting(id: $id) { userErrors { code field message } } }', { id: 'x' }],
      [
        'mutation($id: ID!, $r: String!) { rejectPosting(id: $id, reason: $r) { userErrors { code message } } }',
        { id: 'x', r: 'r' },
      ],
      [
        'mutation($i: JournalEntryPostingInput!, $k: String!) { postJournalEntry(input: $i, idempotencyKey: $k) { userErrors { code } } }',
        {},
      ],
    ];
    const base = fc.constantFrom(...BASES);
    /** A document broken at a random place: cut, spliced with random text, or with a slice repeated. */
    const brokenDocument = fc
      .tuple(base, fc.nat(), fc.nat(), fc.string({ maxLength: 30 }), fc.constantFrom('cut', 'splice', 'repeat', 'drop'))
      .map(([[doc], i, j, text, how]) => {
        const a = i % (doc.length + 1);
        const b = a + (j % Math.max(1, doc.length - a + 1));
        if (how === 'cut') return doc.slice(0, a);
        if (how === 'splice') return doc.slice(0, a) + text + doc.slice(a);
        if (how === 'repeat') return doc.slice(0, b) + doc.slice(a, b) + doc.slice(b);
        return doc.slice(0, a) + doc.slice(b);
      });
    /** A valid document with variables of any shape (wrong types, missing, nested junk). */
    const wrongVariables = fc.tuple(
      base,
      fc.oneof(fc.jsonValue(), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue())),
    );
    const body = fc.oneof(
      brokenDocument.map((query) => JSON.stringify({ query })),
      wrongVariables.map(([[query], variables]) => JSON.stringify({ query, variables })),
      fc.string({ unit: 'binary', maxLength: 300 }).map((query) => JSON.stringify({ query })),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({ query: fc.jsonValue(), variables: fc.jsonValue(), operationName: fc.jsonValue() })
        .map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    const STACK = /\n\s+at |node_modules|\.[jt]s:\d+|stacktrace|"stack"/i;

    // `npm run fuzz -- --cases 100000 [--seed S]` runs this case alone with more cases (FINSYNC_FUZZ_CASES, _SEED).
    const cases = Number(process.env.FINSYNC_FUZZ_CASES ?? 2000);
    const fuzzSeed = Number(process.env.FINSYNC_FUZZ_SEED ?? 20261201);
    it(
      `answers ${cases.toLocaleString('en')} malformed requests with well-formed errors only: no 5xx, no stack trace, nothing written`,
      async () => {
        // The run's records are in; stop the pipeline, so that live changes of the shared sources (anybody's, the
        // ERP's included) no longer move the counts: what changes them now is the fuzz, and nothing may.
        await s.cdc.stop();
        const before = await rowCounts();
        const seen = new Map<number, number>();
        await fc.assert(
          fc.asyncProperty(
            body,
            fc.constantFrom('application/json', 'text/plain', 'application/graphql'),
            async (text, type) => {
              const res = await post(url, text, { authorization: controller, 'content-type': type });
              seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
              expect(res.status).toBeLessThan(500);
              expect(res.text).not.toMatch(STACK);
              if (res.status === 200 && /json/.test(res.type)) {
                const parsed = JSON.parse(res.text) as { data?: unknown; errors?: unknown };
                expect(parsed.data !== undefined || Array.isArray(parsed.errors)).toBe(true);
              }
              if (res.status >= 400 && /json/.test(res.type)) {
                const parsed = JSON.parse(res.text) as { errors?: Array<{ message?: unknown }> };
                expect(Array.isArray(parsed.errors) && parsed.errors.length > 0).toBe(true);
                for (const e of parsed.errors!) expect(typeof e.message).toBe('string');
              }
            },
          ),
          { seed: fuzzSeed, numRuns: cases, endOnFailure: true },
        );
        console.info(
          `fuzz: ${cases} cases, seed ${fuzzSeed}, answers by status: ${JSON.stringify(Object.fromEntries(seen))}`,
        );
        // The fuzz reached every kind of refusal and some documents that parsed.
        expect([...seen.keys()].sort()).toEqual(expect.arrayContaining([200, 400]));
        expect(await rowCounts()).toEqual(before);
        const after = await gql<{ invoices: { totalCount: number } }>(url, NORMAL, { p: s.prefix });
        expect(after.data!.invoices.totalCount).toBe(invoiceCount);
      },
      Math.max(600_000, cases * 30),
    );
  });

  describe('logs', () => {
    it('never hold a token, an IBAN, a tax id or a password, even at debug level', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const logged = await s.fed.startGateway({}, createLogger('gateway', 'debug', sink));
      const { rows } = await s.pool.query<{ id: string; iban: string; tax_id: string }>(
        `select id::text, iban, tax_id from vendor where iban is not null and tax_id is not null limit 1`,
      );
      const vendor = rows[0]!;
      try {
        const expired = await bearer(CONTROLLER, Math.floor(Date.now() / 1000) - 60);
        const seenByVendor = await gql<{ vendor: { iban: string; taxId: string } }>(
          logged.url,
          'query($id: ID!) { vendor(id: $id) { iban taxId } }',
          { id: vendor.id },
          { authorization: controller },
        );
        expect(seenByVendor.data!.vendor).toEqual({ iban: vendor.iban, taxId: vendor.tax_id });
        await post(logged.url, JSON.stringify({ query: '{ __typename }' }), { authorization: expired });
        await post(logged.url, JSON.stringify({ query: '{ nosuchfield }' }), { authorization: controller });
      } finally {
        await logged.stop();
      }
      const text = lines.join('');
      // The log is not empty: it holds the refusal, and debug lines of the requests.
      expect(text).toMatch(/request refused: not authenticated/);
      expect(lines.length).toBeGreaterThan(3);
      for (const secretValue of [controller.slice(7), vendor.iban, vendor.tax_id])
        expect(text).not.toContain(secretValue);
      // No JWT of any kind (user or internal), no connection string with a password.
      expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
      expect(text).not.toMatch(/postgres(ql)?:\/\/[^\s"]*:[^\s"@]*@/);
    });
  });
});
