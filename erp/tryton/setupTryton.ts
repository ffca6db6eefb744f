/**
 * `tsx erp/tryton/setupTryton.ts`: makes the stack's Tryton hold finsync's reference data (accounts, taxes,
 * journal, closed periods; see ensureTrytonReference). Run by stack/tryton/up.sh once Tryton answers; idempotent,
 * about a second when there is nothing to do. Reads the same environment as the posting worker.
 */
import { loadErpConfig } from '../config';
import { ensureTrytonReference } from './ensureTrytonReference';
import { trytonConnector } from './trytonConnector';

async function main(): Promise<void> {
  const config = loadErpConfig();
  const erp = trytonConnector(config.tryton, config.trytonSettings);
  const report = await ensureTrytonReference(erp, config.trytonSettings.companies);
  process.stdout.write(`tryton reference data: ${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`setupTryton: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
