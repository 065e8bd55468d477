import { Injectable, type OnModuleInit } from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import { bool, describes, int, nullable, object, record, str } from '../tasks/result-schema.js';
import type { TaskOutcome, TaskRunContext, TaskTypeDefinition } from '../tasks/task-type.js';
import { DEMO_ENTITIES, type DemoTableKey, generateDemoDataset } from './demo-dataset.js';
import { DEMO_SEED, DEMO_TENANT, LOAD_DEMO_DATA } from './demo.constants.js';

export class LoadDemoDataParams {
  /** The day the demo data ends on (its "today"): the current UTC day when absent. */
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'as_of must be a day YYYY-MM-DD' })
  as_of?: string;
}

export interface DemoLoadResult {
  tenant_id: string;
  /** Whether this run wrote the data (false: the tenant already held records, nothing was written). */
  loaded: boolean;
  /** The day the written data ends on; null when nothing was written. */
  as_of: string | null;
  seed: number;
  /** Rows per table: written by this run, or already there. */
  records: Record<string, number>;
  message: string;
}

const RESULT_SCHEMA = describes<DemoLoadResult>()(
  object({
    tenant_id: str(),
    loaded: bool(),
    as_of: nullable(str({ format: 'date' })),
    seed: int(),
    records: record(int()),
    message: str(),
  }),
);

/** 2026-02-30 matches the pattern but is not a day (Date would roll it over to March 2). */
const isCalendarDay = (day: string): boolean => {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
};

/** Rows inserted per statement (well under PostgreSQL's 65,535 bind parameters for the widest table). */
const CHUNK = 500;
/** Serialises concurrent loads: the second waits, then finds the data and writes nothing. */
const LOAD_LOCK = 'ai-crew:load_demo_data';

async function countRows(manager: EntityManager, tenantId: string): Promise<Record<DemoTableKey, number>> {
  const columns = DEMO_ENTITIES.map(
    ([key, entity]) => `(SELECT count(*)::int FROM ${manager.getRepository(entity).metadata.tableName} WHERE tenant_id = $1) AS "${key}"`,
  );
  const [row] = await manager.query<Record<DemoTableKey, number>[]>(`SELECT ${columns.join(', ')}`, [tenantId]);
  return row;
}

const describeCounts = (counts: Record<string, number>): string =>
  `${counts.customers} customers, ${counts.leads} leads, ${counts.deals} deals, ${counts.products} products, ${counts.orders} orders, ` +
  `${counts.subscriptions} subscriptions, ${counts.invoices} invoices, ${counts.payments} payments, ${counts.content_items} content items, ` +
  `${counts.integration_connections} integration connections with ${counts.sync_runs} sync runs`;

/**
 * `load_demo_data`: writes a realistic, reproducible tenant across the six domains into the demo tenant, in one
 * unit of work (all or nothing). Idempotent: once the tenant holds records, it writes nothing and says so.
 */
@Injectable()
export class LoadDemoDataTask implements OnModuleInit {
  constructor(private readonly registry: TaskTypeRegistry) {}

  onModuleInit(): void {
    const definition: TaskTypeDefinition<LoadDemoDataParams, DemoLoadResult> = {
      type: LOAD_DEMO_DATA,
      domain: 'system',
      description:
        `Loads the demo tenant "${DEMO_TENANT}" (only that tenant): seeded, reproducible customers, leads, deals, products with 90 days of orders ` +
        'and inventory, subscriptions with invoices and failed payments, content items, integration connections with sync runs. ' +
        'Once the tenant holds records it writes nothing.',
      complexity: 'simple',
      strategy: 'direct_db',
      requiresAi: false,
      // Adds records; a second run adds none.
      effect: 'create',
      onlyTenant: DEMO_TENANT,
      parameters: LoadDemoDataParams,
      resultSchema: RESULT_SCHEMA,
      check: (p) => (p.as_of !== undefined && !isCalendarDay(p.as_of) ? [{ field: 'as_of', message: 'is not a day of the calendar' }] : []),
      run: (context, parameters) => this.run(context, parameters),
    };
    this.registry.register(definition);
  }

  async run(context: TaskRunContext, parameters: LoadDemoDataParams): Promise<TaskOutcome<DemoLoadResult>> {
    const existing = await countRows(context.manager, context.tenantId);
    if (Object.values(existing).some((count) => count > 0)) return { aiMode: 'deterministic', result: this.unchanged(existing) };

    const asOf = parameters.as_of ?? new Date().toISOString().slice(0, 10);
    // Imported here, not at boot: Faker's English locale costs about 12 MB, and only a demo load needs it.
    const { faker } = await import('@faker-js/faker/locale/en');
    const dataset = generateDemoDataset(faker, asOf);
    const result = await context.write(async (manager): Promise<DemoLoadResult> => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOAD_LOCK]);
      const now = await countRows(manager, context.tenantId);
      if (Object.values(now).some((count) => count > 0)) return this.unchanged(now);
      const records: Record<string, number> = {};
      for (const table of dataset.tables) {
        for (let start = 0; start < table.rows.length; start += CHUNK) {
          await manager
            .createQueryBuilder()
            .insert()
            .into(table.entity)
            .values(table.rows.slice(start, start + CHUNK))
            .updateEntity(false)
            .execute();
        }
        records[table.key] = table.rows.length;
      }
      return {
        tenant_id: DEMO_TENANT,
        loaded: true,
        as_of: asOf,
        seed: DEMO_SEED,
        records,
        message: `Loaded the demo tenant "${DEMO_TENANT}" with data up to ${asOf}: ${describeCounts(records)}.`,
      };
    });
    return { aiMode: 'deterministic', result };
  }

  private unchanged(counts: Record<string, number>): DemoLoadResult {
    return {
      tenant_id: DEMO_TENANT,
      loaded: false,
      as_of: null,
      seed: DEMO_SEED,
      records: counts,
      message: `The demo tenant "${DEMO_TENANT}" already holds records (${describeCounts(counts)}); nothing was written.`,
    };
  }
}
