import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { confirmPostings } from './confirmPostings';

/**
 * Runs `confirmPostings` every `intervalMs` (the posting worker process runs it beside the worker). A failed pass
 * is logged and the next one tries again: confirmation is a check, never in the way of posting.
 */
export function runPostingConfirmation(options: {
  readonly pool: Pool;
  readonly intervalMs: number;
  readonly logger: Logger;
}): { stop(): Promise<void> } {
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let wake: () => void = () => undefined;
  const done = (async () => {
    while (running) {
      try {
        const counts = await confirmPostings(options.pool);
        if (counts.confirmed || counts.mismatched)
          options.logger.info({ confirmation: counts }, 'postings checked against the ERP');
      } catch (err) {
        options.logger.warn({ err }, 'confirming postings failed; trying again');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, options.intervalMs);
      });
    }
  })();
  return {
    stop: async () => {
      running = false;
      if (timer) clearTimeout(timer);
      wake();
      await done;
    },
  };
}
