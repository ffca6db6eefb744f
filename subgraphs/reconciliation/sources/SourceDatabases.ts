import { createPool, type Pool as MariaPool, type RowDataPacket } from 'mysql2/promise';
import { Pool } from 'pg';
import type { SourcesConfig } from './SourcesConfig';

/** The source systems the flows read. */
export type SourceSystem = 'billing' | 'procurement' | 'payroll';

/** Read-only access to the stand-in source databases, one pool each, opened lazily. */
export interface SourceDatabases {
  /** Runs a source query: `?` placeholders on MariaDB (arrays expand for `in (?)`), `$n` on Postgres. */
  query<R>(system: SourceSystem, sql: string, values: readonly unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/**
 * Opens the source databases read-only: Postgres sessions with `default_transaction_read_only`, MariaDB sessions
 * with `SET SESSION TRANSACTION READ ONLY`. finsync never writes to a source through these.
 */
export function openSourceDatabases(config: SourcesConfig): SourceDatabases {
  let billing: MariaPool | null = null;
  const pg = new Map<SourceSystem, Pool>();
  const pgPool = (system: SourceSystem, url: string) => {
    let p = pg.get(system);
    if (!p) {
      p = new Pool({ connectionString: url, max: 4, options: '-c default_transaction_read_only=on' });
      p.on('error', () => undefined);
      pg.set(system, p);
    }
    return p;
  };
  const mariadb = () => {
    if (!billing) {
      const b = config.billing;
      billing = createPool({
        ...(b.host ? { host: b.host, port: b.port } : { socketPath: b.socketPath }),
        user: b.user,
        password: b.password,
        database: b.database,
        connectionLimit: 4,
        decimalNumbers: false,
        dateStrings: true,
      });
      billing.on('connection', (conn) => {
        conn.query('SET SESSION TRANSACTION READ ONLY');
      });
    }
    return billing;
  };
  return {
    query: async <R>(system: SourceSystem, sql: string, values: readonly unknown[]): Promise<R[]> => {
      if (system === 'billing') {
        const [rows] = await mariadb().query<RowDataPacket[]>(sql, values as unknown[]);
        return rows as unknown as R[];
      }
      const url = system === 'procurement' ? config.procurementUrl : config.payrollUrl;
      const { rows } = await pgPool(system, url).query(sql, values as unknown[]);
      return rows as R[];
    },
    close: async () => {
      await (billing as MariaPool | null)?.end();
      for (const p of pg.values()) await p.end();
    },
  };
}
