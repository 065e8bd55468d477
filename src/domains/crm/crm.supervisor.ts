import { Inject, Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import { tablesOf } from '../shared/entity-tables.js';
import { CRM_AGENTS } from './crm.agents.js';
import { CRM_ENTITIES } from './entities/crm.entities.js';
import { crudTaskTypes } from './task-types/crm-crud.task-types.js';
import { CRM_RECORD_IMPORT } from './sync/crm-record-import.js';
import type { CrmSyncConfig } from './sync/crm-sync.js';
import { CRM_SYNC_CONFIG, syncTaskType } from './sync/crm-sync.task-type.js';
import { analysisTaskTypes } from './task-types/analysis.task-types.js';

export { ComprehensiveAnalysisParams, LeadScoringParams, SegmentationParams } from './dto/crm-analysis.params.js';

/**
 * The CRM domain: customers, leads and deals (CRUD, direct_db), the contact sync (direct_api), and lead scoring,
 * segmentation, nurturing, pipeline optimisation, churn and the comprehensive analysis (AI task types whose
 * numbers come from the algorithms in ./algorithms).
 */
@Injectable()
@DomainSupervisor()
export class CrmSupervisor implements DomainSupervisorProvider {
  readonly domain = 'crm' as const;
  readonly tables = tablesOf(CRM_ENTITIES);
  readonly recordImporter = CRM_RECORD_IMPORT;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CRM_SYNC_CONFIG) private readonly syncConfig: CrmSyncConfig,
  ) {}

  agents(): AgentDefinition[] {
    return CRM_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  taskTypes(): TaskTypeDefinition[] {
    return [...analysisTaskTypes(), ...crudTaskTypes(), syncTaskType(this.syncConfig, this.config.security.outboundAllowPrivate)];
  }
}
