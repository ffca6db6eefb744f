/**
 * Imported FIRST by every finsync process's main.ts (before pg, http, the gateway runtime are loaded, so their
 * instrumentations can patch them): starts tracing when an OTLP endpoint is configured (startTracing.ts). The
 * process name comes from the launcher's `FINSYNC_INSTANCE` (`cdc-1` → `cdc`), else from the entry file's folder.
 */
import { basename, dirname } from 'node:path';
import { startTracing } from './startTracing';

const instance = process.env.FINSYNC_INSTANCE;
const processName = instance ? instance.replace(/-\d+$/, '') : basename(dirname(process.argv[1] ?? 'finsync'));
startTracing(processName);
