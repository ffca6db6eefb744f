import pino, { type Logger } from 'pino';
import { journalsSubgraph } from '../../subgraphs/journals';
import { invoicesSubgraph } from '../../subgraphs/invoices';
import { paymentsSubgraph } from '../../subgraphs/payments';
import { vendorsSubgraph } from '../../subgraphs/vendors';
import type { CanonicalEventSource } from '../../subgraphs/shared/canonicalEvents';
import type { RequestReport, RunningSubgraph } from '../../subgraphs/shared/createSubgraphServer';
import { loadSubgraphConfig, type SubgraphName } from '../../subgraphs/shared/SubgraphConfig';
import type { SubgraphModule } from '../../subgraphs/shared/SubgraphModule';
import { startSubgraph } from '../../subgraphs/shared/startSubgraph';
import { loadGatewayConfig } from '../../gateway/config';
import type { RunningGateway } from '../../gateway/createGateway';
import { startGateway } from '../../gateway/startGateway';

/** Every subgraph module, in the order they start. */
export async function allSubgraphModules(): Promise<Array<SubgraphModule<unknown>>> {
  const { reconciliationSubgraph } = await import('../../subgraphs/reconciliation');
  const { postingsSubgraph } = await import('../../subgraphs/postings');
  return [
    vendorsSubgraph,
    invoicesSubgraph,
    paymentsSubgraph,
    journalsSubgraph,
    reconciliationSubgraph,
    postingsSubgraph,
  ] as Array<SubgraphModule<unknown>>;
}

export interface FederationStack {
  readonly gatewayUrl: string;
  readonly gateway: RunningGateway;
  readonly subgraphs: ReadonlyArray<RunningSubgraph & { readonly events: CanonicalEventSource }>;
  /** Every finished subgraph request so far (SQL statements per correlation id). */
  readonly reports: RequestReport[];
  /**
   * One more gateway over the same subgraphs, on a free port (or `port`: the first one's again, after stopping it),
   * with its own environment (limits) and logger.
   */
  startGateway(env?: NodeJS.ProcessEnv, logger?: Logger, port?: number): Promise<RunningGateway>;
  stop(): Promise<void>;
}

/**
 * Every subgraph and the gateway, in this process, on free ports, over the given canonical database and
 * events topic — the same code `npm start` runs as separate processes.
 */
export async function startFederation(options: {
  readonly databaseUrl: string;
  readonly eventsTopic: string;
  readonly env?: NodeJS.ProcessEnv;
}): Promise<FederationStack> {
  const logger = pino({ level: process.env.FINSYNC_TEST_LOG_LEVEL ?? 'warn' });
  const reports: RequestReport[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    FINSYNC_DATABASE_URL: options.databaseUrl,
    FINSYNC_EVENTS_TOPIC: options.eventsTopic,
  };
  const subgraphs: Array<RunningSubgraph & { readonly events: CanonicalEventSource }> = [];
  try {
    for (const module of await allSubgraphModules()) {
      const config = { ...loadSubgraphConfig(module.name, env), port: 0 };
      subgraphs.push(
        await startSubgraph(module, config, logger.child({ subgraph: module.name }), {
          env,
          onRequestDone: (r) => reports.push(r),
        }),
      );
    }
    const urls = Object.fromEntries(subgraphs.map((s) => [`FINSYNC_${s.name.toUpperCase()}_URL`, s.url]));
    const gatewayOver = (extra: NodeJS.ProcessEnv = {}, log: Logger = logger.child({ process: 'gateway' }), port = 0) =>
      startGateway({ ...loadGatewayConfig({ ...env, ...extra, ...urls }), port }, log);
    const gateway = await gatewayOver();
    return {
      gatewayUrl: gateway.url,
      gateway,
      subgraphs,
      reports,
      startGateway: gatewayOver,
      stop: async () => {
        await gateway.stop();
        for (const s of subgraphs) await s.stop();
      },
    };
  } catch (err) {
    for (const s of subgraphs) await s.stop().catch(() => undefined);
    throw err;
  }
}

/** The subgraph names, for messages. */
export type { SubgraphName };
