/**
 * The Tryton JSON-RPC connector against the real Tryton: documents found by finsync's reference, a draft left by an
 * interrupted post resumed instead of duplicated, Tryton's UserError as a typed refusal in its own words, an expired
 * session renewed, and transient faults (nothing listening, no answer) told apart from refusals.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { ErpJournal } from '../../erp/connector/ErpConnector';
import { ErpUnavailableError } from '../../erp/connector/ErpUnavailableError';
import { ensureTrytonReference } from '../../erp/tryton/ensureTrytonReference';
import { trytonDate, trytonDecimal } from '../../erp/tryton/trytonJson';
import { erpConfig, tryton, UNREACHABLE_TRYTON } from '../support/postingHarness';

const erp = tryton();
const journal = (reference: string, overrides: Partial<ErpJournal> = {}): ErpJournal => ({
  reference,
  legalEntityId: 'FS-EU',
  date: '2026-11-18',
  currency: 'EUR',
  description: 'connector test',
  lines: [
    { accountCode: '6400', debit: '42.10', credit: '0', description: 'travel', partyTaxId: null },
    { accountCode: '2200', debit: '0', credit: '42.10', description: 'liability', partyTaxId: null },
  ],
  ...overrides,
});

describe('Tryton connector', () => {
  beforeAll(async () => {
    await ensureTrytonReference(erp, erpConfig.trytonSettings.companies);
  });

  it('posts a journal, finds it by reference, and does not post it again', async () => {
    const ref = `finsync:${randomUUID()}`;
    expect(await erp.findByReference('JOURNAL', 'FS-EU', ref)).toBeNull();
    const outcome = await erp.postJournal(journal(ref));
    if (!outcome.ok) throw new Error(outcome.refusal.message);
    expect(outcome).toMatchObject({ created: true, document: { kind: 'JOURNAL', state: 'POSTED', reference: ref } });
    const found = await erp.findByReference('JOURNAL', 'FS-EU', ref);
    // The lookup also reads the post number, which Tryton's post does not return.
    expect(found).toEqual({ ...outcome.document, number: expect.stringMatching(/^\d+$/) });
    const again = await erp.postJournal(journal(ref), found);
    expect(again).toEqual({ ok: true, document: found, created: false });
    const both = await erp.findByReferences('JOURNAL', 'FS-EU', [ref, `finsync:${randomUUID()}`]);
    expect([...both.keys()]).toEqual([ref]);
  });

  it('posts a draft left behind by an interrupted post instead of creating a second move', async () => {
    const ref = `finsync:${randomUUID()}`;
    const { lookups, client } = erp;
    const accounts = await lookups.accounts('FS-EU');
    const period = (await lookups.period('FS-EU', '2026-11-18'))!;
    // What a create that committed before its post did leaves in Tryton.
    await client.read('model.account.move.create', [
      [
        {
          company: 1,
          journal: await lookups.journal('FSJ'),
          period: Number(period.id),
          date: trytonDate('2026-11-18'),
          description: ref,
          lines: [
            [
              'create',
              [
                {
                  account: Number(accounts.get('6400')!.id),
                  debit: trytonDecimal('42.10'),
                  credit: trytonDecimal('0'),
                },
                {
                  account: Number(accounts.get('2200')!.id),
                  debit: trytonDecimal('0'),
                  credit: trytonDecimal('42.10'),
                },
              ],
            ],
          ],
        },
      ],
    ]);
    const draft = await erp.findByReference('JOURNAL', 'FS-EU', ref);
    expect(draft?.state).toBe('DRAFT');
    const outcome = await erp.postJournal(journal(ref), draft);
    expect(outcome).toMatchObject({ ok: true, created: true, document: { id: draft!.id, state: 'POSTED' } });
    const count = await client.read<number>('model.account.move.search_count', [[['description', '=', ref]]]);
    expect(count).toBe(1);
  });

  it("returns Tryton's UserError as a refusal in Tryton's words, and leaves no draft", async () => {
    const ref = `finsync:${randomUUID()}`;
    const unbalanced = await erp.postJournal(
      journal(ref, {
        lines: [
          { accountCode: '6400', debit: '42.10', credit: '0', description: null, partyTaxId: null },
          { accountCode: '2200', debit: '0', credit: '40.00', description: null, partyTaxId: null },
        ],
      }),
    );
    expect(unbalanced.ok).toBe(false);
    if (unbalanced.ok) return;
    expect(unbalanced.refusal.code).toBe('ERP_REFUSED');
    expect(unbalanced.refusal.message).toMatch(
      /^To post move "\d+", you must balance all its lines debits and credits\.$/,
    );
    expect(await erp.findByReference('JOURNAL', 'FS-EU', ref)).toBeNull();

    const closed = await erp.postJournal(journal(`finsync:${randomUUID()}`, { date: '2025-03-03' }));
    expect(closed).toEqual({
      ok: false,
      refusal: {
        code: 'ERP_REFUSED',
        message: 'You cannot create a journal-period in closed period "2025-03".',
        description: '',
        field: null,
      },
    });
    const party = await erp.postJournal(
      journal(`finsync:${randomUUID()}`, {
        lines: [
          { accountCode: '2100', debit: '42.10', credit: '0', description: null, partyTaxId: null },
          { accountCode: '2200', debit: '0', credit: '42.10', description: null, partyTaxId: null },
        ],
      }),
    );
    expect(party.ok === false && party.refusal.message).toBe(
      'A value is required for field "Party" in "Account Move Line".',
    );
  });

  it('logs in again when Tryton dropped the session', async () => {
    const fresh = tryton();
    await fresh.client.context();
    // Tryton deletes a session it considers expired, and the next call answers 401. The newest session is the
    // one just opened.
    const pg = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/finsync_erp' });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ id: number }>(
        'delete from ir_session where id = (select max(id) from ir_session) returning id',
      );
      expect(rows).toHaveLength(1);
      expect(await fresh.client.read<number>('model.account.period.search_count', [[]])).toBeGreaterThan(0);
      // The call logged in again: a newer session exists.
      const after = await pg.query<{ id: number }>('select max(id) as id from ir_session');
      expect(after.rows[0]!.id).toBeGreaterThan(rows[0]!.id);
    } finally {
      await pg.end();
    }
  });

  it('reports a Tryton that does not listen, or does not answer, as unavailable — not as a refusal', async () => {
    const down = tryton(UNREACHABLE_TRYTON, 1_000);
    const error = await down.findByReference('JOURNAL', 'FS-EU', 'finsync:x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpUnavailableError);
    expect(error).toMatchObject({ reason: 'UNREACHABLE', mayHaveCommitted: false });
    expect((await down.health()).ok).toBe(false);

    // A server that accepts the request and never answers: the outcome is unknown.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const hanging = tryton(`http://127.0.0.1:${port}/finsync_erp/`, 500);
      const timeout = await hanging.postJournal(journal(`finsync:${randomUUID()}`)).catch((e: unknown) => e);
      expect(timeout).toBeInstanceOf(ErpUnavailableError);
      expect(timeout).toMatchObject({ reason: 'TIMEOUT', mayHaveCommitted: true });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
