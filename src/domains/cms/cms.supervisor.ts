import { Inject, Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import { tablesOf } from '../shared/entity-tables.js';
import { CMS_AGENTS } from './cms.agents.js';
import { CMS_CONFIG, type CmsConfig } from './cms.config.js';
import { CMS_ENTITIES } from './entities/cms.entities.js';
import { CMS_RECORD_IMPORT } from './sync/cms-record-import.js';
import { cmsTaskTypes } from './task-types/cms.task-types.js';

/** The CMS domain: content items (CRUD, publish/unpublish, sync) and the SEO audit and content outline. */
@Injectable()
@DomainSupervisor()
export class CmsSupervisor implements DomainSupervisorProvider {
  readonly domain = 'cms' as const;
  readonly tables = tablesOf(CMS_ENTITIES);
  readonly recordImporter = CMS_RECORD_IMPORT;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CMS_CONFIG) private readonly cms: CmsConfig,
  ) {}

  agents(): AgentDefinition[] {
    return CMS_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  taskTypes(): TaskTypeDefinition[] {
    return cmsTaskTypes({ allowPrivate: this.config.security.outboundAllowPrivate, cms: this.cms });
  }
}
