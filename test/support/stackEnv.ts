/** Where the real stack started by `npm run stack:up` listens; the same defaults as stack/. */
export const stackEnv = {
  kafkaBrokers: (process.env.FINSYNC_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  connectUrl: process.env.FINSYNC_CONNECT_URL ?? 'http://127.0.0.1:8083',
  /** The procurement stand-in source (Postgres). */
  procurementPg: { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'procurement' },
  /** The billing stand-in source (MariaDB); root over the local socket, as the stack scripts do. */
  billingMariadb: { socketPath: '/run/mysqld/mysqld.sock', user: 'root', database: 'billing' },
} as const;
