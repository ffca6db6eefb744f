/**
 * Issue 5 through the gateway, against the real Tryton: an application posts a journal with `postJournalEntry`
 * (as an authenticated principal, a signed development token), the posting worker sends it to Tryton exactly once,
 * Tryton's move and lines come back through Debezium into the canonical model, and the posting is CONFIRMED —
 * with its journal entry resolved from the journals subgraph. Refusals come back as userErrors naming the field and
 * the rule, and nothing reaches Tryton; approval keeps preparer and approver apart and holds each approver to their own limit; an idempotency key with another
 * body is refused.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadReferenceData } from '../../canonical-schema/reference/loadReferenceData';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { runPostingConfirmation } from '../../erp/confirmation/runPostingConfirmation';
import { ensureTrytonReference } from '../../erp/tryton/ensureTrytonReference';
import { runPostingWorker } from '../../erp/worker/runPostingWorker';
import { startFederation, type FederationStack } from '../support/federationStack';
import { erpConfig, tryton, trytonMoves } from '../support/postingHarness';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { gql } from '../support/seededFederation';
import { bearer } from '../support/tokens';
import { waitFor } from '../support/waitFor';

const tag = randomUUID().slice(0, 8);
const token = (subject: string, roles: string[]) => bearer({ subject, roles, legalEntities: ['FS-EU'] });

/**
 * An accepted (or approved) posting as the payload shows it: the posting as stored after the commit, which the
 * running worker may already have taken to the ERP.
 */
const ACCEPTED = expect.stringMatching(/^(APPROVED|SUBMITTED|POSTED)$/);

const POST = `mutation($input: JournalEntryPostingInput!, $key: String!) {
  postJournalEntry(input: $input, idempotencyKey: $key) {
    posting { id status preparer amount { amount currency } erpDocument { reference } }
    userErrors { code field message }
  }
}`;

type Payload = {
  posting: { id: string; status: string; preparer: string; amount: { amount: string; currency: string } } | null;
  userErrors: Array<{ code: string; field: string | null; message: string }>;
};

function journal(t: string, amount: string, over: Record<string, unknown> = {}) {
  return {
    legalEntityId: 'FS-EU',
    journalType: 'ACCRUAL',
    number: `GW-${t}`,
    transactionDate: '2026-11-20',
    currency: 'EUR',
    memo: `gateway accrual ${t}`,
    lines: [
      {
        accountCode: '6300',
        description: 'software accrual',
        debit: amount,
        dimensions: [{ type: 'COST_CENTER', code: 'CC-100' }],
      },
      { accountCode: '2200', description: 'accrued liabilities', credit: amount },
    ],
    ...over,
  };
}

describe('posting through the gateway into Tryton, confirmed when its rows come back through CDC', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let cdc: RunningCdc;
  let fed: FederationStack;
  let worker: { stop(): Promise<void> };
  let confirmation: { stop(): Promise<void> };
  let accountant: Record<string, string>;
  let approver: Record<string, string>;
  /** A controller (may post and approve) who prepares a posting: approving it herself is refused (segregation of duties). */
  let approvingPreparer: Record<string, string>;
  const erp = tryton();

  const post = async (input: unknown, key: string, headers = accountant) => {
    const body = await gql<{ postJournalEntry: Payload }>(fed.gatewayUrl, POST, { input, key }, headers);
    expect(body.errors).toBeUndefined();
    return body.data!.postJournalEntry;
  };

  beforeAll(async () => {
    db = await scratchDatabase('postings_gateway');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 4 });
    await loadReferenceData(pool);
    await ensureTrytonReference(erp, erpConfig.trytonSettings.companies);
    // The ERP's topics from their beginning: its chart (account rows) must be canonical before its move lines.
    cdc = await startCdc(
      {
        ...loadCdcConfig({ FINSYNC_CDC_SYSTEMS: 'erp' }),
        databaseUrl: db.url,
        groupId: `finsync-test-postings-${tag}`,
        eventsTopic: `finsync.test.postings.${tag}`,
      },
      pino({ level: 'warn' }),
      { startAt: 'earliest' },
    );
    await cdc.joined;
    fed = await startFederation({ databaseUrl: db.url, eventsTopic: `finsync.test.postings.${tag}` });
    worker = runPostingWorker({
      pool,
      erp,
      erpTimeoutMs: 10_000,
      logger: pino({ level: 'silent' }),
      settings: { ...erpConfig.worker, workerId: `gw-${tag}`, idleMs: 100, backoffMs: 100, maxBackoffMs: 500 },
    });
    confirmation = runPostingConfirmation({ pool, intervalMs: 300, logger: pino({ level: 'silent' }) });
    accountant = { authorization: `${await token(`alice-${tag}@finsync.test`, ['accountant'])}` };
    approver = { authorization: `${await token(`bob-${tag}@finsync.test`, ['approver'])}` };
    approvingPreparer = { authorization: `${await token(`carol-${tag}@finsync.test`, ['controller'])}` };
  }, 180_000);

  afterAll(async () => {
    await confirmation?.stop();
    await worker?.stop();
    await fed?.stop();
    await cdc?.stop();
    await pool?.end();
    await db?.drop();
  });

  it('posts a journal into Tryton with the same lines, and confirms it once the move comes back through CDC', async () => {
    const accepted = await post(journal(`${tag}-1`, '1250.00'), `gw-${tag}-1`);
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.posting).toMatchObject({
      status: ACCEPTED,
      preparer: `alice-${tag}@finsync.test`,
      amount: { amount: '1250.00', currency: 'EUR' },
    });
    const id = accepted.posting!.id;
    const QUERY = `query($id: ID!) { posting(id: $id) {
        status erpDocument { reference documentNumber }
        confirmation { status differences }
        journalEntry { number postingStatus memo lines { accountCode debit { amount } credit { amount } } }
      } }`;
    type Seen = {
      posting: {
        status: string;
        erpDocument: { reference: string; documentNumber: string | null };
        confirmation: { status: string; differences: string[] };
        journalEntry: {
          number: string;
          postingStatus: string;
          memo: string;
          lines: Array<{ accountCode: string; debit: { amount: string }; credit: { amount: string } }>;
        } | null;
      };
    };
    const seen = (await waitFor(
      async () => {
        const body = await gql<Seen>(fed.gatewayUrl, QUERY, { id }, accountant);
        return body.data?.posting.confirmation.status === 'CONFIRMED' ? body.data.posting : null;
      },
      120_000,
      'the posting to be confirmed against the ERP',
      500,
    ))!;
    expect(seen.status).toBe('POSTED');
    expect(seen.confirmation.differences).toEqual([]);
    // The canonical journal entry the ERP's move became, from the journals subgraph.
    expect(seen.journalEntry).toMatchObject({
      number: seen.erpDocument.documentNumber,
      postingStatus: 'POSTED',
      memo: expect.stringContaining(seen.erpDocument.reference),
    });
    expect(seen.journalEntry!.lines.map((l) => `${l.accountCode} ${l.debit.amount}/${l.credit.amount}`).sort()).toEqual(
      ['2200 0.00/1250.00', '6300 1250.00/0.00'],
    );
    // In Tryton: exactly one posted move carrying the posting's reference.
    const moves = await trytonMoves(erp, seen.erpDocument.reference);
    expect(moves.map((m) => [m.state, m.post_number])).toEqual([['posted', seen.erpDocument.documentNumber]]);
  });

  it('refuses an unbalanced journal, a closed period, an inactive account and a missing dimension, sending nothing', async () => {
    const cases: Array<[Record<string, unknown>, { code: string; field: string }]> = [
      [
        {
          lines: [
            { accountCode: '6300', debit: '100.00', dimensions: [{ type: 'COST_CENTER', code: 'CC-100' }] },
            { accountCode: '2200', credit: '90.00' },
          ],
        },
        { code: 'UNBALANCED_JOURNAL', field: 'lines' },
      ],
      [{ transactionDate: '2025-06-15' }, { code: 'PERIOD_CLOSED', field: 'transactionDate' }],
      [
        {
          lines: [
            { accountCode: '6900', debit: '100.00' },
            { accountCode: '2200', credit: '100.00' },
          ],
        },
        { code: 'INVALID_ACCOUNT', field: 'lines[1]' },
      ],
      [
        {
          lines: [
            { accountCode: '6300', debit: '100.00' },
            { accountCode: '2200', credit: '100.00' },
          ],
        },
        { code: 'MISSING_DIMENSION', field: 'lines[1].dimensions.COST_CENTER' },
      ],
    ];
    for (const [i, [over, expected]] of cases.entries()) {
      const t = `${tag}-refused-${i}`;
      const out = await post(journal(t, '100.00', over), `gw-${t}`);
      expect(out.posting).toBeNull();
      expect(out.userErrors).toEqual([expect.objectContaining({ ...expected, message: expect.stringMatching(/\S/) })]);
      expect(await trytonMoves(erp, `gateway accrual ${t}`)).toEqual([]);
    }
  });

  it('returns the same posting for the same key and body, and refuses the key with another body', async () => {
    const first = await post(journal(`${tag}-2`, '300.00'), `gw-${tag}-2`);
    const again = await post(journal(`${tag}-2`, '300.00'), `gw-${tag}-2`);
    expect(again.posting!.id).toBe(first.posting!.id);
    const other = await post(journal(`${tag}-2`, '301.00'), `gw-${tag}-2`);
    expect(other.posting).toBeNull();
    expect(other.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  it('holds a large posting for approval, refuses its preparer as approver, and posts it once an approver approves', async () => {
    const held = await post(journal(`${tag}-3`, '20000.00'), `gw-${tag}-3`, approvingPreparer);
    expect(held.posting!.status).toBe('PENDING_APPROVAL');
    const APPROVE = `mutation($id: ID!) { approvePosting(id: $id) { posting { status approver } userErrors { code } } }`;
    type Approved = {
      approvePosting: { posting: { status: string; approver: string | null }; userErrors: Array<{ code: string }> };
    };
    const bySelf = await gql<Approved>(fed.gatewayUrl, APPROVE, { id: held.posting!.id }, approvingPreparer);
    expect(bySelf.data!.approvePosting.userErrors.map((e) => e.code)).toContain('SEGREGATION_OF_DUTIES');
    // An approver whose own limit (postingPolicy.json approverLimits: 15,000 EUR) is below the amount.
    const junior = { authorization: await token('junior.approver@finsync.example', ['approver']) };
    const byJunior = await gql<Approved>(fed.gatewayUrl, APPROVE, { id: held.posting!.id }, junior);
    expect(byJunior.data!.approvePosting).toEqual({
      posting: { status: 'PENDING_APPROVAL', approver: null },
      userErrors: [{ code: 'AMOUNT_LIMIT_EXCEEDED' }],
    });
    const byApprover = await gql<Approved>(fed.gatewayUrl, APPROVE, { id: held.posting!.id }, approver);
    expect(byApprover.data!.approvePosting).toEqual({
      posting: { status: ACCEPTED, approver: `bob-${tag}@finsync.test` },
      userErrors: [],
    });
    await waitFor(
      async () => {
        const body = await gql<{ posting: { status: string } }>(
          fed.gatewayUrl,
          `query($id: ID!) { posting(id: $id) { status } }`,
          { id: held.posting!.id },
          approver,
        );
        return body.data?.posting.status === 'POSTED';
      },
      60_000,
      'the approved posting to be posted',
      500,
    );
  });

  it('refuses a posting without a valid token', async () => {
    const body = await gql(
      fed.gatewayUrl,
      POST,
      { input: journal(`${tag}-4`, '10.00'), key: `gw-${tag}-4` },
      { authorization: '' },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
