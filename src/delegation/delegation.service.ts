import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Decision, Strategy } from '../tasks/task.types.js';
import { analyzeDelegation, type DelegationAnalysis, type HistorySample, type RoutingOverride } from './analysis/index.js';
import type { TaskTypeDefinition } from '../tasks/task-type.js';
import { TaskStore } from '../tasks/task.store.js';

export interface DelegationInput {
  type: string;
  description: string;
  dataVolume: number;
  requiresAi: boolean;
  multiDomain: boolean;
  parameters?: Record<string, unknown>;
  preferredStrategy?: Strategy;
  forceCrew: boolean;
}

/** Where applied optimizations come from (the monitoring module's routing_overrides). */
export interface RoutingOverrideSource {
  activeOverrides(): Promise<RoutingOverride[]>;
}
export const ROUTING_OVERRIDE_SOURCE = Symbol('ROUTING_OVERRIDE_SOURCE');

export interface DelegationResult {
  decision: Decision;
  analysis: DelegationAnalysis;
  recommendations: string[];
}

const HISTORY_TTL_MS = 30_000;
const ANALYSIS_CACHE_SIZE = 500;

/**
 * The strategies a type can run as. Any domain type can be forced into a crew (force_crew: the master
 * supervisor delegates it through its domain supervisor — what a hierarchical crew does for everything);
 * built-in system types have no supervisor.
 */
function supportedFor(definition: TaskTypeDefinition, forceCrew: boolean): Strategy[] {
  const supported = definition.supportedStrategies ?? [definition.strategy];
  return forceCrew && definition.domain !== 'system' && !supported.includes('crew_workflow') ? [...supported, 'crew_workflow'] : supported;
}
const HISTORY_DAYS = 7;

/**
 * Decides how a task runs: complexity and category analysis, the decision matrix with its precedence
 * (DESIGN.md §7), caller choices, applied routing overrides, estimates from recent history (median
 * duration and cost of the same type and strategy) and the budget check.
 */
@Injectable()
export class DelegationService {
  private history = new Map<string, { at: number; samples: HistorySample[] }>();
  private readonly analyses = new Map<string, { history: HistorySample[]; analysis: DelegationAnalysis }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tasks: TaskStore,
    @Optional() @Inject(ROUTING_OVERRIDE_SOURCE) private readonly overrides?: RoutingOverrideSource,
  ) {}

  async decide(definition: TaskTypeDefinition | undefined, input: DelegationInput, remainingBudget?: number): Promise<DelegationResult> {
    const price = this.config.llm.prices[this.config.llm.model];
    const overrides = (await this.overrides?.activeOverrides().catch(() => [])) ?? [];
    const history = await this.recentHistory(input.type);
    // The analysis is pure: identical inputs (parameter values aside — only their count matters) with the same
    // history and overrides give the same answer, so the hot path of repeated task shapes skips recomputing it.
    const key = JSON.stringify([
      input.type,
      input.description,
      input.dataVolume,
      input.requiresAi,
      input.multiDomain,
      input.forceCrew,
      input.preferredStrategy ?? null,
      Object.keys(input.parameters ?? {}).length,
      remainingBudget ?? null,
      overrides,
    ]);
    const cached = this.analyses.get(key);
    const analysis =
      cached && cached.history === history
        ? cached.analysis
        : analyzeDelegation(
            {
              type: input.type,
              description: input.description,
              dataVolume: input.dataVolume,
              parameters: input.parameters,
              requiresAi: input.requiresAi,
              multiDomain: input.multiDomain,
              forceCrew: input.forceCrew,
              preferredStrategy: input.preferredStrategy,
              catalogue: definition
                ? { complexity: definition.complexity, strategy: definition.strategy, requiresAi: definition.requiresAi }
                : undefined,
              supportedStrategies: definition
                ? supportedFor(definition, input.forceCrew)
                : ['single_agent', 'multi_agent', 'crew_workflow'],
              overrides,
            },
            { history, price: price ? { input: price.input, output: price.output } : undefined, remainingBudget },
          );
    if (!cached || cached.analysis !== analysis) {
      if (this.analyses.size >= ANALYSIS_CACHE_SIZE) this.analyses.delete(this.analyses.keys().next().value as string);
      this.analyses.set(key, { history, analysis });
    }
    const decision: Decision = {
      complexity: analysis.complexity,
      category: analysis.category,
      strategy: analysis.strategy,
      confidence: analysis.confidence,
      reasoning: analysis.reasoning,
      estimatedCost: analysis.estimatedCost,
      estimatedTime: analysis.estimatedTime,
      risk: analysis.risk,
      rule: analysis.rule,
    };
    return { decision, analysis, recommendations: this.recommend(definition, input, analysis) };
  }

  private recommend(definition: TaskTypeDefinition | undefined, input: DelegationInput, analysis: DelegationAnalysis): string[] {
    const tips: string[] = [];
    const ai = analysis.strategy === 'single_agent' || analysis.strategy === 'multi_agent' || analysis.strategy === 'crew_workflow';
    if (ai && !this.config.llm.enabled) {
      tips.push(
        'No LLM is configured: agents run their deterministic skills (ai_mode "deterministic"). Set OPENAI_API_KEY or OPENAI_BASE_URL for narratives and plans.',
      );
    }
    if (analysis.estimatedTime > 30)
      tips.push(
        `Estimated ${Math.round(analysis.estimatedTime)} s: submit with async_execution: true and poll links.self or pass callback_url.`,
      );
    if (input.forceCrew && definition && !definition.crewPlan)
      tips.push(
        `force_crew runs ${input.type} under the master supervisor with a single domain; without it the cheaper ${definition.strategy} would do.`,
      );
    if (input.preferredStrategy && input.preferredStrategy !== analysis.strategy)
      tips.push(`preferred_strategy ${input.preferredStrategy} was not applied; see delegation.reasoning.`);
    if (analysis.strategy === 'crew_workflow' && !input.multiDomain && !input.forceCrew)
      tips.push('Expert complexity chose a crew; set preferred_strategy to multi_agent if one domain is enough.');
    if (!analysis.budget.allowed) tips.push(analysis.budget.reason);
    return tips;
  }

  /** Median-ready samples of the type's recent finished tasks (cached briefly; one query per type per 30 s). */
  private async recentHistory(type: string): Promise<HistorySample[]> {
    const cached = this.history.get(type);
    if (cached && Date.now() - cached.at < HISTORY_TTL_MS) return cached.samples;
    const rows = await this.tasks.history().ofType(type, HISTORY_DAYS);
    const samples = rows.map((row) => ({
      taskType: type,
      strategy: row.strategy,
      durationS: row.duration_ms / 1000,
      costUsd: Number(row.cost_usd),
    }));
    this.history.set(type, { at: Date.now(), samples });
    return samples;
  }
}
