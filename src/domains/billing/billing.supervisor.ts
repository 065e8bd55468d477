import { Inject, Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import { tablesOf } from '../shared/entity-tables.js';
import { BILLING_AGENTS } from './billing.agents.js';
import { BILLING_ENTITIES } from './entities/billing.entities.js';
import { BILLING_SYNC_CONFIG, type BillingSyncConfig } from './billing.config.js';
import { paymentsSyncTaskType } from './sync/payments-sync.task-type.js';
import { billingAnalysisTaskTypes } from './task-types/billing-analysis.task-types.js';
import { invoiceTaskTypes } from './task-types/invoice.task-types.js';
import { subscriptionTaskTypes } from './task-types/subscription.task-types.js';

/**
 * The billing domain: subscriptions with their MRR history, invoices and payments (CRUD, direct_db), the
 * payments import (direct_api), and revenue analysis, subscription optimization and the dunning plan (AI
 * task types whose numbers come from ./algorithms).
 */
@Injectable()
@DomainSupervisor()
export class BillingSupervisor implements DomainSupervisorProvider {
  readonly domain = 'billing' as const;
  readonly tables = tablesOf(BILLING_ENTITIES);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BILLING_SYNC_CONFIG) private readonly syncConfig: BillingSyncConfig,
  ) {}

  agents(): AgentDefinition[] {
    return BILLING_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  taskTypes(): TaskTypeDefinition[] {
    return [
      ...subscriptionTaskTypes(),
      ...invoiceTaskTypes(),
      paymentsSyncTaskType(this.syncConfig, this.config.security.outboundAllowPrivate),
      ...billingAnalysisTaskTypes(),
    ];
  }
}
