import { Inject, Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import { tablesOf } from '../shared/entity-tables.js';
import { ECOMMERCE_AGENTS } from './ecommerce.agents.js';
import { ECOMMERCE_ENTITIES } from './entities/ecommerce.entities.js';
import { ECOMMERCE_RECORD_IMPORT } from './sync/ecommerce-record-import.js';
import { ECOMMERCE_SYNC_CONFIG, type EcommerceSyncConfig } from './ecommerce.config.js';
import { ecommerceSyncTaskTypes } from './sync/ecommerce-sync.task-types.js';
import { ecommerceAnalysisTaskTypes } from './task-types/ecommerce-analysis.task-types.js';
import { orderTaskTypes } from './task-types/order.task-types.js';
import { productTaskTypes } from './task-types/product.task-types.js';

/**
 * The e-commerce domain: products, orders with lines and the inventory ledger (CRUD, direct_db), product
 * and order imports (direct_api), inventory optimization and product recommendations (AI task types whose
 * numbers come from ./algorithms).
 */
@Injectable()
@DomainSupervisor()
export class EcommerceSupervisor implements DomainSupervisorProvider {
  readonly domain = 'ecommerce' as const;
  readonly tables = tablesOf(ECOMMERCE_ENTITIES);
  readonly recordImporter = ECOMMERCE_RECORD_IMPORT;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ECOMMERCE_SYNC_CONFIG) private readonly syncConfig: EcommerceSyncConfig,
  ) {}

  agents(): AgentDefinition[] {
    return ECOMMERCE_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  taskTypes(): TaskTypeDefinition[] {
    return [
      ...productTaskTypes(),
      ...orderTaskTypes(),
      ...ecommerceSyncTaskTypes(this.syncConfig, this.config.security.outboundAllowPrivate),
      ...ecommerceAnalysisTaskTypes(),
    ];
  }
}
