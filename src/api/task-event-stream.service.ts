import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { NotFoundProblem } from '../common/problem.js';
import { TaskEvents } from '../execution/task-events.js';
import type { TaskStepEntity } from '../tasks/entities/task-step.entity.js';
import { TaskStore } from '../tasks/task.store.js';
import { toExecuteResponse } from '../tasks/task-response.mapper.js';
import { followTask } from './task-follower.js';

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
    try {
      await followTask(this.store, this.events, initial.id, {
        signal: closed.signal,
        report: (change) => {
          if (change.kind === 'status') {
            send('status', { task_id: change.task.id, status: change.status });
            if (change.final) send('end', toExecuteResponse(change.task));
          } else if (change.phase === 'start') {
            send('step', { phase: 'start', task_id: change.task.id, ...stepPayload(change.step), status: 'running' });
          } else {
            send('step', { phase: 'finish', task_id: change.task.id, ...stepPayload(change.step) });
          }
        },
      });
    } finally {
      clearInterval(heartbeat);
      response.end();
    }
  }
}
