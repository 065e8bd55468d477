import type { TaskStepEntity } from './entities/task-step.entity.js';
import type { TaskEntity } from './entities/task.entity.js';
import type { DelegationDto, ExecuteResponseDto, TaskDetailDto, TaskStepDto, TaskSummaryDto } from './dto/task-response.dto.js';

export const API_PREFIX = '/api/crew';

export function taskLink(task: Pick<TaskEntity, 'id'>): string {
  return `${API_PREFIX}/task/${task.id}`;
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms) / 1000;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function delegation(task: TaskEntity): DelegationDto | null {
  const decision = task.decision;
  if (!decision) return null;
  return {
    complexity: decision.complexity,
    category: decision.category,
    strategy: decision.strategy,
    confidence: decision.confidence,
    reasoning: decision.reasoning,
    estimated_cost: decision.estimatedCost,
    estimated_time: decision.estimatedTime,
    risk: decision.risk,
    rule: decision.rule,
  };
}

export function toExecuteResponse(task: TaskEntity): ExecuteResponseDto {
  const used = task.fallbackChain.length > 0 ? task.fallbackChain[task.fallbackChain.length - 1] : task.strategy;
  return {
    task_id: task.id,
    workflow_id: task.workflowId,
    status: task.status,
    strategy_used: task.strategy,
    execution_type: used,
    execution_time: seconds(task.durationMs),
    result: task.result ?? null,
    error: task.error,
    guidance: task.guidance,
    agents_used: task.agentsUsed,
    metrics: {
      llm_calls: task.llmCalls,
      input_tokens: task.inputTokens,
      output_tokens: task.outputTokens,
      cached_tokens: task.cachedTokens,
      cost_usd: task.costUsd,
      queue_wait_ms: task.queueWaitMs,
      fallback_chain: task.fallbackChain,
      ai_mode: task.aiMode,
      cache_hit: task.cacheHit,
    },
    recommendations: task.recommendations,
    delegation: delegation(task),
    links: { self: taskLink(task), events: `${taskLink(task)}/events` },
  };
}

function toStepDto(step: TaskStepEntity): TaskStepDto {
  return {
    id: step.id,
    parent_step_id: step.parentStepId,
    attempt: step.attempt,
    agent_id: step.agentId,
    tier: step.tier,
    kind: step.kind,
    name: step.name,
    status: step.status,
    started_at: step.startedAt.toISOString(),
    finished_at: iso(step.finishedAt),
    duration_ms: step.durationMs,
    input_tokens: step.inputTokens,
    output_tokens: step.outputTokens,
    cached_tokens: step.cachedTokens,
    cost_usd: step.costUsd,
    input: step.inputSummary,
    output: step.outputSummary,
    error: step.error,
    children: [],
  };
}

/** Builds the step tree from the flat, start-ordered list. */
export function toStepTree(steps: TaskStepEntity[]): TaskStepDto[] {
  const byId = new Map(steps.map((step) => [step.id, toStepDto(step)]));
  const roots: TaskStepDto[] = [];
  for (const step of steps) {
    const dto = byId.get(step.id) as TaskStepDto;
    const parent = step.parentStepId ? byId.get(step.parentStepId) : undefined;
    if (parent) parent.children.push(dto);
    else roots.push(dto);
  }
  return roots;
}

export function toTaskDetail(task: TaskEntity, counts: { total: number; completed: number }, steps?: TaskStepEntity[]): TaskDetailDto {
  const percent = counts.total === 0 ? (task.status === 'completed' ? 100 : 0) : Math.round((counts.completed / counts.total) * 100);
  return {
    ...toExecuteResponse(task),
    id: task.id,
    tenant_id: task.tenantId,
    type: task.type,
    domain: task.domain,
    priority: task.priority,
    crew_type: task.strategy,
    created_at: task.createdAt.toISOString(),
    start_time: iso(task.startedAt),
    end_time: iso(task.finishedAt),
    tasks_completed: counts.completed,
    total_tasks: counts.total,
    progress: { completed_steps: counts.completed, total_steps: counts.total, percent },
    attempts: task.attempts,
    ...(steps ? { trace: toStepTree(steps) } : {}),
  };
}

export function toTaskSummary(task: TaskEntity): TaskSummaryDto {
  return {
    task_id: task.id,
    workflow_id: task.workflowId,
    type: task.type,
    domain: task.domain,
    status: task.status,
    strategy: task.strategy,
    priority: task.priority,
    created_at: task.createdAt.toISOString(),
    finished_at: iso(task.finishedAt),
    execution_time: seconds(task.durationMs),
    self: taskLink(task),
  };
}
