/**
 * The data generator for the stand-in sources: procurement and payroll (Postgres), billing (MariaDB), plus a
 * malformed Kafka message when anomalies are planted. Reproducible from the seed, idempotent per seed.
 *
 *   npm run seed -- --size N [--seed 42] [--anomalies]
 *   npm run seed -- --scenario anomalies [--seed 42]      a small fixed data set plus exactly one of each anomaly
 *   … --erp                                               also a Tryton party per supplier (same tax id), JSON-RPC
 *   … --if-empty                                          only when every stand-in source is empty (npm start's demo data)
 *   … --hold-late-invoices                                PARKED_THEN_APPLIED's payment, not yet its invoice (run again for it)
 *
 * Prints a manifest (planted anomalies with their source ids and expected exception codes; counts and control
 * totals per source table and currency) and writes it to .run/seed-<seed>.json. See stack/seed/README.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { computeControls } from './controls';
import { generate } from './generate';
import { buildManifest } from './manifest';
import { createProgress } from './progress';
import { reference } from '../../canonical-schema/reference/reference';
import { writeBilling } from './writeMariadb';
import { writePayroll, writeProcurement, type WriteResult } from './writePostgres';
import { writePoison, type PoisonResult } from './writeKafka';
import { writeTryton } from './writeTryton';
import { loadErpConfig } from '../../erp/config';
import { trytonConnector } from '../../erp/tryton/trytonConnector';

const SCENARIOS = {
  /** --size N clean records per source, plus the anomalies with --anomalies. */
  default: { size: undefined, anomalies: undefined },
  /** A handful of clean records of each kind, and exactly one of each anomaly. */
  anomalies: { size: 5, anomalies: true },
} as const;
type Scenario = keyof typeof SCENARIOS;

const USAGE = `usage: npm run seed -- --size N [--seed 42] [--anomalies] [--scenario default|anomalies] [--erp] [--if-empty] [--hold-late-invoices]`;

interface Options {
  seed: number;
  size: number;
  anomalies: boolean;
  scenario: Scenario;
  /**
   * Also write Tryton's master data (a party per supplier). Off by default until the ERP's tables have mapping
   * rules: captured Tryton rows without a rule become UNMAPPABLE_EVENT exceptions in every CDC run.
   */
  erp: boolean;
  /** Write nothing when any stand-in source already holds rows. */
  ifEmpty: boolean;
  /** PARKED_THEN_APPLIED's payment only: its invoice comes with a second run of the same seed. */
  holdLateInvoices: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string' },
      seed: { type: 'string', default: '42' },
      anomalies: { type: 'boolean', default: false },
      scenario: { type: 'string', default: 'default' },
      erp: { type: 'boolean', default: false },
      'if-empty': { type: 'boolean', default: false },
      'hold-late-invoices': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const whole = (name: string, text: string): number => {
    if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, not "${text}"\n${USAGE}`);
    return Number(text);
  };
  const scenario = values.scenario;
  if (!(scenario in SCENARIOS)) {
    throw new Error(`unknown scenario "${scenario}"; known: ${Object.keys(SCENARIOS).join(', ')}\n${USAGE}`);
  }
  const preset = SCENARIOS[scenario as Scenario];
  if (preset.size !== undefined && values.size !== undefined) {
    throw new Error(`--scenario ${scenario} writes a fixed data set: leave out --size`);
  }
  return {
    seed: whole('seed', values.seed),
    size: preset.size ?? whole('size', values.size ?? '100'),
    anomalies: preset.anomalies ?? values.anomalies,
    scenario: scenario as Scenario,
    erp: values.erp,
    ifEmpty: values['if-empty'],
    holdLateInvoices: values['hold-late-invoices'],
  };
}

function env(name: string, fallback: string): string {
  return process.env[name] || fallback;
}

/** Postgres: libpq's variables, default 127.0.0.1:5432 as postgres (trust auth on the local stack). */
function pgClient(database: string): Client {
  return new Client({
    host: env('PGHOST', '127.0.0.1'),
    port: Number(env('PGPORT', '5432')),
    user: env('PGUSER', 'postgres'),
    password: process.env.PGPASSWORD,
    database,
    application_name: 'finsync-seed',
  });
}

/** MariaDB: root over the local socket, or FINSYNC_SEED_MARIADB_HOST/PORT/USER/PASSWORD over TCP. */
async function mariadbConnection(): Promise<mysql.Connection> {
  const host = process.env.FINSYNC_SEED_MARIADB_HOST;
  const socketPath = env('FINSYNC_SEED_MARIADB_SOCKET', '/run/mysqld/mysqld.sock');
  return mysql.createConnection({
    ...(host || !existsSync(socketPath)
      ? { host: host ?? '127.0.0.1', port: Number(env('FINSYNC_SEED_MARIADB_PORT', '3306')) }
      : { socketPath }),
    user: env('FINSYNC_SEED_MARIADB_USER', 'root'),
    password: process.env.FINSYNC_SEED_MARIADB_PASSWORD,
    database: 'billing',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
}

async function withPg<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = pgClient(database);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Rows already in the stand-in sources' main tables (suppliers, payroll runs, billing customers). */
async function sourceRows(): Promise<number> {
  const procurement = await withPg('procurement', (c) =>
    c.query<{ n: number }>('select count(*)::int as n from supplier'),
  );
  const payroll = await withPg('payroll', (c) =>
    c.query<{ n: number }>('select count(*)::int as n from payroll_journal'),
  );
  const conn = await mariadbConnection();
  try {
    const [rows] = await conn.query('select count(*) as n from customer');
    const billing = Number((rows as Array<{ n: string | number }>)[0]?.n ?? 0);
    return (procurement.rows[0]?.n ?? 0) + (payroll.rows[0]?.n ?? 0) + billing;
  } finally {
    await conn.end();
  }
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.ifEmpty) {
    const rows = await sourceRows();
    if (rows > 0) {
      process.stdout.write(
        `seed: the sources already hold data (${rows} suppliers, payroll runs and customers); nothing written\n`,
      );
      return;
    }
  }
  const started = Date.now();
  const data = generate(opts);
  const progress = createProgress();
  process.stdout.write(
    `seed: seed ${opts.seed}, prefix ${data.prefix}, size ${opts.size}, scenario ${opts.scenario}, anomalies ${opts.anomalies ? 'on' : 'off'} (reference v${reference.version})\n`,
  );

  const results: WriteResult[] = [];
  let poison: PoisonResult | null = null;
  try {
    results.push(await withPg('procurement', (c) => writeProcurement(c, data, progress)));
    results.push(await withPg('payroll', (c) => writePayroll(c, data, progress)));
    const conn = await mariadbConnection();
    try {
      results.push(await writeBilling(conn, data, progress, { holdLateInvoices: opts.holdLateInvoices }));
    } finally {
      await conn.end();
    }
    if (opts.erp) {
      // Tryton: FINSYNC_TRYTON_URL / _USER / _PASSWORD, default the stack's http://127.0.0.1:8000/finsync_erp/.
      const erpConfig = loadErpConfig();
      results.push(await writeTryton(trytonConnector(erpConfig.tryton, erpConfig.trytonSettings), data, progress));
    }
    if (data.poison) {
      const brokers = env('FINSYNC_KAFKA_BROKERS', '127.0.0.1:9092').split(',');
      progress.note(`reading ${data.poison.topic} for ${data.poison.key} (${brokers.join(',')})`);
      poison = await writePoison(brokers, data.poison);
      progress.note(
        `${poison.produced ? 'produced' : 'already there:'} malformed message on ${poison.topic} partition ${poison.partition} offset ${poison.offset}`,
      );
    }
  } finally {
    progress.stop();
  }

  const manifest = buildManifest({
    opts,
    data,
    controls: computeControls(data),
    results,
    poison,
    seconds: (Date.now() - started) / 1000,
  });
  const runDir = resolve(process.env.FINSYNC_RUN_DIR ?? join(__dirname, '..', '..', '.run'));
  mkdirSync(runDir, { recursive: true });
  const file = join(runDir, `seed-${opts.seed}.json`);
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(file, text);
  process.stdout.write(text);
  process.stdout.write(`seed: done in ${manifest.run.seconds} s; manifest written to ${file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`seed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
