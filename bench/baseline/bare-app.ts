import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { Body, Controller, type DynamicModule, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Column, CreateDateColumn, DataSource, Entity, PrimaryGeneratedColumn, type Repository } from 'typeorm';

/**
 * The baseline of the direct-task benchmark: the least a NestJS + TypeORM endpoint can do to accept a task
 * and record it as completed — one INSERT and one UPDATE of that row — on the same Express platform, the
 * same pg pool size and the same database as the service. Configured by env: PORT, HOST, and either
 * BASELINE_DATABASE_URL or BASELINE_SOCKET_DIR (the embedded server's socket directory), BASELINE_POOL_SIZE.
 */

export const BASELINE_TABLE = 'bench_baseline_tasks';

@Entity({ name: BASELINE_TABLE })
export class BaselineTaskEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 100 })
  tenantId: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

interface BaselineBody {
  tenant_id?: string;
  description?: string;
}

@Controller()
class BaselineController {
  constructor(@InjectRepository(BaselineTaskEntity) private readonly tasks: Repository<BaselineTaskEntity>) {}

  @Get('ready')
  ready(): { status: string } {
    return { status: 'ok' };
  }

  @Post('tasks')
  @HttpCode(200)
  async create(@Body() body: BaselineBody): Promise<{ task_id: string; status: string }> {
    const inserted = await this.tasks.insert({
      tenantId: body.tenant_id ?? 'bench',
      description: body.description ?? '',
      status: 'running',
    });
    const id = (inserted.identifiers[0] as { id: string }).id;
    await this.tasks.update({ id }, { status: 'completed', result: { count: 0 }, finishedAt: new Date() });
    return { task_id: id, status: 'completed' };
  }
}

interface BaselineConfig {
  port: number;
  databaseUrl?: string;
  socketDir?: string;
  poolSize: number;
}

function readConfig(env: NodeJS.ProcessEnv): BaselineConfig {
  const port = Number(env.PORT);
  const poolSize = Number(env.BASELINE_POOL_SIZE ?? 20);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be a port number');
  if (!env.BASELINE_DATABASE_URL && !env.BASELINE_SOCKET_DIR) throw new Error('set BASELINE_DATABASE_URL or BASELINE_SOCKET_DIR');
  return { port, databaseUrl: env.BASELINE_DATABASE_URL, socketDir: env.BASELINE_SOCKET_DIR, poolSize };
}

function baselineModule(config: BaselineConfig): DynamicModule {
  const connection = config.databaseUrl
    ? { url: config.databaseUrl }
    : { host: config.socketDir, port: 5432, username: 'postgres', database: 'postgres' };
  return {
    module: BaselineModule,
    imports: [
      TypeOrmModule.forRoot({
        type: 'postgres',
        ...connection,
        entities: [BaselineTaskEntity],
        synchronize: false,
        retryAttempts: 0,
        extra: { max: config.poolSize, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 },
      }),
      TypeOrmModule.forFeature([BaselineTaskEntity]),
    ],
    controllers: [BaselineController],
  };
}

@Module({})
class BaselineModule {}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const app = await NestFactory.create<NestExpressApplication>(baselineModule(config), { logger: ['error', 'fatal'] });
  // The table is part of the fixture, not of the measured path.
  await app.get(DataSource).query(`
    CREATE TABLE IF NOT EXISTS ${BASELINE_TABLE} (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id varchar(100) NOT NULL,
      description text NOT NULL,
      status varchar(20) NOT NULL,
      result jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
  app.enableShutdownHooks();
  await app.listen(config.port, process.env.HOST ?? '127.0.0.1');
}

// Only when run as a process: the benchmark imports BASELINE_TABLE from here to check what was persisted.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
