/** crm_pipeline_optimization: the posted sales funnel analysed by the algorithms. */
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { optimizePipeline, type PipelineOptimizationResult, validatePipelineOptimizationRequest } from '../algorithms/index.js';
import { PipelineOptimizationParams } from '../dto/crm-analysis.params.js';
import { AI_STRATEGIES, computed } from './analysis.shared.js';
import { PIPELINE_SCHEMA } from './pipeline-optimization.result.js';

/**
 * `stages` given as an object, as an ordered array. Object key order is the stage order, but a task's
 * parameters are stored as jsonb, which reorders keys; callers that hold the request as sent convert first.
 */
export function withOrderedStages<T>(pipeline: T): T {
  if (!pipeline || typeof pipeline !== 'object' || Array.isArray(pipeline)) return pipeline;
  const stages = (pipeline as { stages?: unknown }).stages;
  if (!stages || typeof stages !== 'object' || Array.isArray(stages)) return pipeline;
  const ordered = Object.entries(stages as Record<string, unknown>).map(([name, value]) =>
    value && typeof value === 'object' && !Array.isArray(value) ? { name, ...(value as Record<string, unknown>) } : { name, count: value },
  );
  return { ...pipeline, stages: ordered };
}

export function pipelineOptimizationTaskType(): TaskTypeDefinition<PipelineOptimizationParams, PipelineOptimizationResult> {
  return {
    type: 'crm_pipeline_optimization',
    domain: 'crm',
    description:
      'Analyses the sales funnel: close probability per stage, expected wins and revenue, sales velocity, weighted pipeline, +10-point uplift per step, the bottleneck and the highest-leverage step (reported separately), stalled stages.',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'crm_lead_specialist',
    parameters: PipelineOptimizationParams,
    resultSchema: PIPELINE_SCHEMA,
    check: (p) => validatePipelineOptimizationRequest(p),
    run: (_context, p) => Promise.resolve({ aiMode: 'deterministic', result: computed(() => optimizePipeline(p)) }),
  };
}
