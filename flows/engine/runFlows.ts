import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ErpConnector } from '../../erp/connector/ErpConnector';
import type { PostingService } from '../../erp/posting/createPostingService';
import type { FlowDefinition } from '../registry';
import type { FlowStepSet } from '../steps/FlowSteps';
import { advanceFlow, type FlowPass } from './advanceFlow';

export interface FlowsDeps {
  readonly pool: Pool;
  readonly erp: ErpConnector;
  readonly postings: PostingService;
  readonly logger: Logger;
  readonly flows: readonly FlowDefinition[];
  readonly steps: FlowStepSet;
  readonly intervalMs: number;
  /** Only documents numbered with this prefix (a test's own on the shared stack); default all. */
  readonly numberPrefix?: string;
  readonly batch?: number;
}

export type FlowStats = Record<string, Omit<FlowPass, 'erpUnavailable'> & { passes: number }>;

/**
 * Runs the flows: a pass of each every `intervalMs`, at once again after a pass that moved a document (a backlog
 * drains without waiting). One process at a time passes over a flow (a session advisory lock per flow). A pass that
 * fails (Postgres down) is logged and tried again.
 */
export function runFlows(deps: FlowsDeps): { readonly stats: FlowStats; stop(): Promise<void> } {
  const stats: FlowStats = {};
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let wake: () => void = () => undefined;
  const done = (async () => {
    while (running) {
      let moved = false;
      for (const flow of deps.flows) {
        if (!running) break;
        const lock = await deps.pool.connect().catch(() => null);
        if (!lock) break;
        try {
          const { rows } = await lock.query<{ locked: boolean }>(
            `select pg_try_advisory_lock(hashtext($1)) as locked`,
            [`finsync:flow:${flow.id}`],
          );
          if (!rows[0]?.locked) continue;
          try {
            const pass = await advanceFlow(
              { pool: deps.pool, erp: deps.erp, logger: deps.logger, postings: deps.postings, flow },
              deps.steps,
              { numberPrefix: deps.numberPrefix ?? '', batch: deps.batch ?? 200 },
            );
            const s = (stats[flow.id] ??= {
              discovered: 0,
              started: 0,
              done: 0,
              failed: 0,
              waiting: 0,
              breached: 0,
              changedAfterPosting: 0,
              passes: 0,
            });
            s.passes++;
            s.discovered += pass.discovered;
            s.started += pass.started;
            s.done += pass.done;
            s.failed += pass.failed;
            s.breached += pass.breached;
            s.changedAfterPosting += pass.changedAfterPosting;
            s.waiting = pass.waiting;
            moved ||= pass.discovered + pass.started + pass.done + pass.failed > 0;
          } finally {
            await lock.query(`select pg_advisory_unlock(hashtext($1))`, [`finsync:flow:${flow.id}`]);
          }
        } catch (err) {
          deps.logger.warn({ err, flow: flow.id }, 'flow pass failed; trying again');
        } finally {
          lock.release();
        }
      }
      if (moved || !running) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, deps.intervalMs);
      });
    }
  })();
  return {
    stats,
    stop: async () => {
      running = false;
      if (timer) clearTimeout(timer);
      wake();
      await done;
    },
  };
}
