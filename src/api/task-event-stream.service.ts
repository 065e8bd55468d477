import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { NotFoundProblem } from '../common/problem.js';
import { TaskEvents } from '../execution/task-events.js';
import type { TaskStepEntity } from '../tasks/entities/task-step.entity.js';
import { TaskStore } from '../tasks/task.store.js';
import { toExecuteResponse } from '../tasks/task-response.mapper.js';
import { FINAL_STATUSES } from '../tasks/task.types.js';

const POLL_MS = 250;
const HEARTBEAT_MS = 15_000;

function stepPayload(step: TaskStepEntity): Record<string, unknown> {
  return {
    step_id: step.id,
    parent_step_id: step.parentStepId,
    attempt: step.attempt,
    agent_id: step.agentId,
    kind: step.kind,
    name: step.name,
    status: step.status,
    started_at: step.startedAt.toISOString(),
    duration_ms: step.durationMs,
    error: step.error,
  };
}

/**
 * `GET /task/{id}/events`: Server-Sent Events for status changes and step start/finish, ending with an
 * `end` event that carries the final result. Reads the database (so it works whichever instance runs the
 * task) and wakes early on this instance's own events.
 */
@Injectable()
export class TaskEventStream {
  constructor(
    private readonly store: TaskStore,
    private readonly events: TaskEvents,
  ) {}

  async stream(tenantId: string, id: string, request: Request, response: Response): Promise<void> {
    const initial = await this.store.findForTenant(tenantId, id);
    if (!initial) throw new NotFoundProblem(`No task ${id} for tenant ${tenantId}.`);
    const closed = new AbortController();
    request.on('close', () => closed.abort());
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    let sequence = 0;
    const send = (event: string, data: unknown) => {
      sequence += 1;
      response.write(`id: ${sequence}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const seen = new Map<string, string>();
    let status = '';
    try {
      while (!closed.signal.aborted) {
        const task = await this.store.findById(initial.id);
        if (!task) break;
        if (task.status !== status && !FINAL_STATUSES.has(task.status)) {
          status = task.status;
          send('status', { task_id: task.id, status });
        }
        for (const step of await this.store.steps(task.id)) {
          const before = seen.get(step.id);
          if (before === undefined) send('step', { phase: 'start', task_id: task.id, ...stepPayload(step), status: 'running' });
          if (before !== step.status && step.status !== 'running')
            send('step', { phase: 'finish', task_id: task.id, ...stepPayload(step) });
          seen.set(step.id, step.status);
        }
        if (task.status !== status) {
          status = task.status;
          send('status', { task_id: task.id, status });
        }
        if (FINAL_STATUSES.has(task.status)) {
          send('end', toExecuteResponse(task));
          break;
        }
        await this.events.next(task.id, POLL_MS, closed.signal);
      }
    } finally {
      clearInterval(heartbeat);
      response.end();
    }
  }
}
