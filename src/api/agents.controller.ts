import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgentRegistry, type AgentNode } from '../delegation/agent-registry.js';
import { TaskStore } from '../tasks/task.store.js';

export interface AgentView {
  id: string;
  name: string;
  tier: string;
  domain: string | null;
  role: string;
  goal: string;
  backstory: string;
  tools: string[];
  model: string | null;
  max_iterations: number;
  reports_to: string | null;
  stats: {
    executions: number;
    success_rate: number | null;
    average_time_ms: number | null;
    tokens: number;
    cost_usd: number;
    current_load: number;
  };
  subordinates: AgentView[];
}

@ApiTags('system')
@Controller()
export class AgentsController {
  constructor(
    private readonly agents: AgentRegistry,
    private readonly tasks: TaskStore,
  ) {}

  @Get('agents')
  @ApiOperation({
    summary: 'The agent hierarchy (master → domain supervisors → specialists → workers) with per-agent statistics',
    description:
      'Every registered agent with its tier, domain and tools, and statistics measured from the steps it ran: executions, success rate, average time, tokens, cost and current load.',
  })
  @ApiOkResponse({
    description: 'The tree and the total number of agents.',
    schema: {
      example: {
        total: 31,
        hierarchy: [
          {
            id: 'master_business_supervisor',
            tier: 'master',
            stats: { executions: 3, success_rate: 1, average_time_ms: 120, tokens: 0, cost_usd: 0, current_load: 0 },
            subordinates: [{ id: 'crm_supervisor', tier: 'supervisor', subordinates: [] }],
          },
        ],
      },
    },
  })
  async hierarchy(): Promise<{ total: number; hierarchy: AgentView[] }> {
    const rows = await this.tasks.history().agentStats();
    const stats = new Map(rows.map((row) => [row.agent_id, row]));
    const view = (node: AgentNode): AgentView => {
      const row = stats.get(node.id);
      return {
        id: node.id,
        name: node.name,
        tier: node.tier,
        domain: node.domain,
        role: node.role,
        goal: node.goal,
        backstory: node.backstory,
        tools: node.tools,
        model: node.model ?? null,
        max_iterations: node.maxIterations,
        reports_to: node.reportsTo,
        stats: {
          executions: row?.executions ?? 0,
          success_rate: row && row.finished > 0 ? Math.round((row.succeeded / row.finished) * 1000) / 1000 : null,
          average_time_ms: row?.avg_ms === null || row?.avg_ms === undefined ? null : Math.round(row.avg_ms),
          tokens: row?.tokens ?? 0,
          cost_usd: row ? Number(row.cost) : 0,
          current_load: row?.running ?? 0,
        },
        subordinates: node.subordinates.map(view),
      };
    };
    return { total: this.agents.all().length, hierarchy: this.agents.tree().map(view) };
  }
}
