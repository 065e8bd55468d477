import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface ConnectionTarget {
  /** A postgres:// URL, or a unix-socket directory for the embedded server. */
  url?: string;
  socketDir?: string;
  poolSize?: number;
}

/** TypeORM options shared by the app, the CLI data source and tests. `synchronize` is never on. */
export function dataSourceOptions(target: ConnectionTarget): DataSourceOptions {
  const connection = target.url ? { url: target.url } : { host: target.socketDir, port: 5432, username: 'postgres', database: 'postgres' };
  return {
    type: 'postgres',
    ...connection,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    applicationName: 'ai-crew-system',
    extra: {
      max: target.poolSize ?? 20,
      connectionTimeoutMillis: 3000,
      // A database that stops answering on an open connection (packets dropped, no reset) must not hold a
      // request forever: the query fails (503 problem+json) after this long.
      query_timeout: 30_000,
      idleTimeoutMillis: 30_000,
    },
  };
}

/** Any number in the int4 range: instances on one database serialise their migrations on it. */
export const MIGRATION_LOCK_KEY = 727_274_001;
