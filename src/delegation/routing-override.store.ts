import { type FactoryProvider, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Strategy } from '../tasks/task.types.js';
import { ROUTING_OVERRIDE_SOURCE, type RoutingOverrideSource } from './delegation.service.js';
import { RoutingOverrideEntity } from './routing-override.entity.js';

export interface RoutingOverride {
  id: string;
  /** null: applies to every task type. */
  taskType: string | null;
  fromStrategy: Strategy;
  toStrategy: Strategy;
  reason: string;
  evidence: Record<string, unknown>;
  createdAt: Date;
}

export interface NewRoutingOverride {
  taskType: string | null;
  fromStrategy: Strategy;
  toStrategy: Strategy;
  reason: string;
  evidence?: Record<string, unknown>;
  source?: string;
}

/** Other instances see a change within this long; the instance that made it sees it at once. */
const CACHE_MS = 5000;

function toOverride(row: RoutingOverrideEntity): RoutingOverride {
  return {
    id: row.id,
    taskType: row.taskType,
    fromStrategy: row.fromStrategy,
    toStrategy: row.toStrategy,
    reason: row.reason,
    evidence: row.evidence,
    createdAt: row.createdAt,
  };
}

/** The routing overrides in force, shared by every instance through the database. */
@Injectable()
export class RoutingOverrideStore {
  private cache?: { at: number; overrides: Promise<RoutingOverride[]> };

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Active overrides, oldest first (cached for about five seconds). */
  activeOverrides(): Promise<RoutingOverride[]> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > CACHE_MS) {
      const overrides = this.load();
      // A failed read must not stick in the cache.
      overrides.catch(() => {
        if (this.cache?.overrides === overrides) this.cache = undefined;
      });
      this.cache = { at: now, overrides };
    }
    return this.cache.overrides;
  }

  /** The override for a task type and the strategy the decision matrix chose: a type-specific one beats an all-types one. */
  async resolve(taskType: string, strategy: Strategy): Promise<RoutingOverride | undefined> {
    const candidates = (await this.activeOverrides()).filter((o) => o.fromStrategy === strategy);
    return candidates.find((o) => o.taskType === taskType) ?? candidates.find((o) => o.taskType === null);
  }

  /**
   * Activates overrides; one that is already active for the same task type and strategy is kept as it is.
   * Answers every override of the request as it is now in force; `created` says whether this call made it.
   */
  async apply(overrides: NewRoutingOverride[]): Promise<(RoutingOverride & { created: boolean })[]> {
    const applied: (RoutingOverride & { created: boolean })[] = [];
    for (const override of overrides) {
      const inserted = await this.dataSource.query<{ id: string }[]>(
        `INSERT INTO routing_overrides (task_type, from_strategy, to_strategy, reason, evidence, source)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT DO NOTHING RETURNING id`,
        [
          override.taskType,
          override.fromStrategy,
          override.toStrategy,
          override.reason,
          JSON.stringify(override.evidence ?? {}),
          override.source ?? 'optimizer',
        ],
      );
      const row = await this.dataSource
        .getRepository(RoutingOverrideEntity)
        .createQueryBuilder('o')
        .where('o.active')
        .andWhere('o.from_strategy = :from', { from: override.fromStrategy })
        .andWhere(override.taskType === null ? 'o.task_type IS NULL' : 'o.task_type = :type', { type: override.taskType })
        .getOneOrFail();
      applied.push({ ...toOverride(row), created: inserted.length > 0 });
    }
    this.cache = undefined;
    return applied;
  }

  /** Deactivates an override; answers false when it was not active. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RoutingOverrideEntity)
      .set({ active: false, revokedAt: () => 'now()' })
      .where('id = :id AND active', { id })
      .execute();
    this.cache = undefined;
    return (result.affected ?? 0) > 0;
  }

  private async load(): Promise<RoutingOverride[]> {
    const rows = await this.dataSource.getRepository(RoutingOverrideEntity).find({ where: { active: true }, order: { createdAt: 'ASC' } });
    return rows.map(toOverride);
  }
}

/** Feeds DelegationService (ROUTING_OVERRIDE_SOURCE) from the store; the decision matrix marks "all types" by an absent taskType. */
export const routingOverrideSourceProvider: FactoryProvider<RoutingOverrideSource> = {
  provide: ROUTING_OVERRIDE_SOURCE,
  useFactory: (store: RoutingOverrideStore): RoutingOverrideSource => ({
    activeOverrides: async () =>
      (await store.activeOverrides()).map((o) => ({
        fromStrategy: o.fromStrategy,
        toStrategy: o.toStrategy,
        ...(o.taskType === null ? {} : { taskType: o.taskType }),
      })),
  }),
  inject: [RoutingOverrideStore],
};
