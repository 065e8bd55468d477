import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AgentRegistry } from './agent-registry.js';
import { DomainSupervisor, type DomainSupervisorProvider, type RecordImporter } from './domain-supervisor.js';
import { PROFILE_DATASET_TOOL } from '../agents/tools/profile-dataset.tool.js';
import { MASTER_SUPERVISOR } from './master-supervisor.js';
import { taskTypeTool } from './task-type-tool.js';
import { TaskTypeRegistry } from './task-type.registry.js';
import { DOMAINS } from '../tasks/task.types.js';

/** Finds every `@DomainSupervisor()` provider and registers its agents, tools and task types. */
@Injectable()
export class DomainRegistry implements OnModuleInit {
  private readonly logger = new Logger(DomainRegistry.name);
  private readonly supervisors = new Map<string, DomainSupervisorProvider>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly agents: AgentRegistry,
    private readonly taskTypes: TaskTypeRegistry,
  ) {}

  onModuleInit(): void {
    this.agents.registerAgent(MASTER_SUPERVISOR);
    this.agents.registerTool(PROFILE_DATASET_TOOL);
    for (const wrapper of this.discovery.getProviders({ metadataKey: DomainSupervisor.KEY })) {
      const supervisor = wrapper.instance as DomainSupervisorProvider;
      this.supervisors.set(supervisor.domain, supervisor);
      for (const agent of supervisor.agents()) this.agents.registerAgent(agent);
      for (const tool of supervisor.tools()) this.agents.registerTool(tool);
      for (const taskType of supervisor.taskTypes()) {
        this.taskTypes.register(taskType);
        // Every AI task type's deterministic computation is also a tool its agents can call.
        if (taskType.requiresAi) this.agents.registerTool(taskTypeTool(taskType));
      }
    }
    this.logger.log(`Registered ${this.supervisors.size} domains and ${this.agents.all().length} agents`);
    // DOMAINS is the compile-time list (task rows, filters, tenant features); the registry is what runs.
    const missing = DOMAINS.filter((domain) => !this.supervisors.has(domain));
    if (missing.length > 0)
      this.logger.warn(`No supervisor registered for domain(s) ${missing.join(', ')}: their task types are unavailable`);
  }

  domains(): string[] {
    return [...this.supervisors.keys()];
  }

  /** The domain's importer of integration records, when it declares one. */
  recordImporter(domain: string): RecordImporter | undefined {
    return this.supervisors.get(domain)?.recordImporter;
  }

  /** Each registered domain's declared tables, domains in the order of DOMAINS; domains without tables are left out. */
  tablesByDomain(): Record<string, readonly string[]> {
    const owners = DOMAINS.flatMap((domain) => {
      const tables = this.supervisors.get(domain)?.tables ?? [];
      return tables.length > 0 ? [[domain, tables] as const] : [];
    });
    return Object.fromEntries(owners);
  }
}
