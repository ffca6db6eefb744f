import type { Logger } from 'pino';
import { advanceVendorOnboarding, type OnboardingDeps, type OnboardingPass } from './advanceVendorOnboarding';

class PausedSignal extends Error {}

/** Totals of the passes so far (the process logs them). */
export interface OnboardingStats {
  checked: number;
  failed: number;
  requested: number;
  activated: number;
  passes: number;
}

/**
 * Runs the VENDOR_ONBOARDING flow: a pass every `intervalMs`, at once again after a pass that did something (a
 * backlog drains without waiting). A failed pass (Postgres down) is logged and the next one tries again; an
 * unreachable ERP is not a failure: the vendors that need it wait (the flow's fallback is to queue).
 */
export function runVendorOnboarding(
  deps: OnboardingDeps & {
    readonly intervalMs: number;
    readonly logger: Logger;
    /** Whether operations paused the flow (PROCUREMENT_SUPPLIERS): no pass while it is. */
    readonly paused?: () => Promise<boolean>;
  },
): {
  readonly stats: OnboardingStats;
  stop(): Promise<void>;
} {
  const stats: OnboardingStats = { checked: 0, failed: 0, requested: 0, activated: 0, passes: 0 };
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let wake: () => void = () => undefined;
  const done = (async () => {
    while (running) {
      let pass: OnboardingPass | null = null;
      try {
        if (deps.paused && (await deps.paused())) throw new PausedSignal();
        pass = await advanceVendorOnboarding(deps);
        stats.passes++;
        stats.checked += pass.checked;
        stats.failed += pass.failed;
        stats.requested += pass.requested;
        stats.activated += pass.activated;
      } catch (err) {
        if (!(err instanceof PausedSignal)) deps.logger.warn({ err }, 'vendor onboarding pass failed; trying again');
      }
      const busy = pass !== null && !pass.erpUnavailable && pass.checked + pass.activated > 0;
      if (busy || !running) continue;
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
