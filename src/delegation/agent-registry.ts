import { Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../agents/agent.types.js';

export interface AgentNode extends AgentDefinition {
  subordinates: AgentNode[];
}

/** The agents of the hierarchy and the tools they may call. */
@Injectable()
export class AgentRegistry {
  private readonly agents = new Map<string, AgentDefinition>();
  private readonly tools = new Map<string, ToolDefinition>();

  registerAgent(agent: AgentDefinition): void {
    if (this.agents.has(agent.id)) throw new Error(`Agent ${agent.id} is registered twice`);
    this.agents.set(agent.id, agent);
  }

  registerTool(tool: ToolDefinition): void {
    if (this.tools.has(tool.name)) throw new Error(`Tool ${tool.name} is registered twice`);
    this.tools.set(tool.name, tool);
  }

  agent(id: string): AgentDefinition {
    const agent = this.agents.get(id);
    if (!agent) throw new Error(`Unknown agent ${id}`);
    return agent;
  }

  findAgent(id: string): AgentDefinition | undefined {
    return this.agents.get(id);
  }

  tool(name: string): ToolDefinition {
    const tool = this.tools.get(name);
    if (!tool) throw new Error(`Unknown tool ${name}`);
    return tool;
  }

  /** The tools an agent is allowed to call (its allow-list, restricted to tools that exist). */
  toolsOf(agent: AgentDefinition): ToolDefinition[] {
    return agent.tools.map((name) => this.tools.get(name)).filter((tool): tool is ToolDefinition => tool !== undefined);
  }

  all(): AgentDefinition[] {
    return [...this.agents.values()];
  }

  subordinatesOf(id: string): AgentDefinition[] {
    return this.all().filter((agent) => agent.reportsTo === id);
  }

  /** The hierarchy from the master supervisor down. */
  tree(): AgentNode[] {
    const build = (agent: AgentDefinition): AgentNode => ({ ...agent, subordinates: this.subordinatesOf(agent.id).map(build) });
    return this.all()
      .filter((agent) => agent.reportsTo === null)
      .map(build);
  }
}
