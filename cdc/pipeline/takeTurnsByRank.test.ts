import { takeTurnsByRank } from './takeTurnsByRank';

describe('takeTurnsByRank', () => {
  it('runs one task at a time and gives the turn to the lowest waiting rank', async () => {
    const turn = takeTurnsByRank();
    const order: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = (name: string, ms: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      order.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([
      turn(2, task('lines', 20)),
      turn(2, task('payments', 5)),
      turn(1, task('invoices', 5)),
      turn(0, task('vendors', 5)),
    ]);
    expect(results).toEqual(['lines', 'payments', 'invoices', 'vendors']);
    expect(maxRunning).toBe(1);
    expect(order.filter((o) => o.startsWith('start'))).toEqual([
      'start lines',
      'start vendors',
      'start invoices',
      'start payments',
    ]);
  });

  it('passes the turn on when a task fails', async () => {
    const turn = takeTurnsByRank();
    const failing = turn(0, async () => {
      throw new Error('boom');
    });
    const next = turn(1, async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
