import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { withoutPreparedStatements } from './fast-query.js';
import { runMigrationsLocked } from './migrate.js';
import { TypeOrmLogger } from './typeorm-logger.js';

export const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

/** Closes the connection pool and then the embedded server (in that order) when the app shuts down. */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }
}

@Module({})
export class DatabaseModule {
  /**
   * `embedded` is the already-started embedded server (started before Nest so a locked data directory
   * stops the boot with a clear message), or null for a PostgreSQL server.
   */
  static forRoot(config: AppConfig, embedded: EmbeddedPostgres | null): DynamicModule {
    const embeddedProvider = { provide: EMBEDDED_POSTGRES, useValue: embedded };
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(config.database.kind === 'postgres' ? { url: config.database.url } : { socketDir: embedded?.socketDir }),
            autoLoadEntities: true,
            logger: new TypeOrmLogger(),
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options as ConstructorParameters<typeof DataSource>[0]).initialize();
            await runMigrationsLocked(dataSource);
            if (!config.database.preparedStatements) withoutPreparedStatements(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [embeddedProvider, DatabaseLifecycle],
      exports: [embeddedProvider],
    };
  }
}
