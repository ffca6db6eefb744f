/**
 * Tryton is a CDC source: a journal finsync posts comes back through Debezium on `erp.public.account_move` (with
 * finsync's reference in its description, posted, with its post number) and `erp.public.account_move_line` (the
 * same accounts' lines, amounts as exact decimal strings), decoded by finsync's own decoder. This is what the
 * confirmation step (mapping Tryton's rows back) starts from.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from '../../canonical-schema/money/Decimal';
import type { RowChange } from '../../cdc/envelope/ChangeEvent';
import { collectChanges, type ChangeCollector } from '../support/collectChanges';
import { journal, postingHarness, preparer, type PostingHarness } from '../support/postingHarness';

describe('Tryton captured by Debezium (connector erp)', () => {
  let h: PostingHarness;
  let moves: ChangeCollector | undefined;
  let lines: ChangeCollector | undefined;

  beforeAll(async () => {
    h = await postingHarness('posting_cdc');
  });
  afterAll(async () => {
    await moves?.stop();
    await lines?.stop();
    await h?.close();
  });

  it('brings a posted journal back as its move and lines', async () => {
    const tag = randomUUID().slice(0, 8);
    const accepted = await h.service.acceptJournalPosting(journal(tag, {}, '777.25'), preparer, `cdc-${tag}`);
    const id = accepted.posting!.id;
    await h.work(async () => (await h.service.getPosting(id))?.status === 'POSTED');
    const posting = (await h.service.getPosting(id))!;
    const moveId = Number(posting.erp.documentId);

    const isOurMove = (e: RowChange) =>
      typeof e.after?.description === 'string' && e.after.description.startsWith(posting.erp.reference);
    moves = await collectChanges(['erp.public.account_move'], (e) => e.kind === 'change' && isOurMove(e));
    const moveEvents = (await moves.until((es) =>
      es.some((e) => e.kind === 'change' && e.after?.state === 'posted'),
    )) as RowChange[];
    const postedMove = moveEvents.find((e) => e.after?.state === 'posted')!;
    expect(postedMove.after).toMatchObject({ id: moveId, post_number: posting.erp.documentNumber, company: 1 });
    expect(postedMove.source).toMatchObject({
      system: 'erp',
      database: 'finsync_erp',
      schema: 'public',
      table: 'account_move',
    });

    lines = await collectChanges(
      ['erp.public.account_move_line'],
      (e) => e.kind === 'change' && e.after?.move === moveId,
    );
    // Each line arrives as created (draft) and again as updated (valid) when its move balances: the newest per id.
    const byId = (es: readonly RowChange[]) => new Map(es.map((e) => [e.after!.id, e]));
    await lines.until(
      (es) =>
        byId(es as RowChange[]).size >= 2 &&
        [...byId(es as RowChange[]).values()].every((e) => e.after!.state === 'valid'),
    );
    const lineEvents = [...byId(lines.events as RowChange[]).values()];
    const amounts = lineEvents.map(
      (e) => `${new Decimal(String(e.after!.debit)).toFixed(2)}/${new Decimal(String(e.after!.credit)).toFixed(2)}`,
    );
    expect(amounts.sort()).toEqual(['0.00/777.25', '777.25/0.00']);
    // Decimals arrive as strings (decimal.handling.mode=string), never as floats.
    for (const e of lineEvents) expect(typeof e.after!.debit).toBe('string');
  });
});
