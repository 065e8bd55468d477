import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { IsInt, IsOptional, IsUrl, Max, MaxLength, Min } from 'class-validator';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { outboundRequest } from '../common/outbound-http.js';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import { describes, int, nullable, partial, str } from '../tasks/result-schema.js';
import type { TaskOutcome, TaskRunContext, TaskTypeDefinition } from '../tasks/task-type.js';

export class SystemProbeParams {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  wait_ms?: number;

  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an absolute http(s) URL' })
  @MaxLength(2000)
  url?: string;
}

/** What a probe answers: how long it ran, and the URL's status and size when it fetched one. */
export interface ProbeResult {
  waited_ms: number;
  url: string | null;
  http_status: number | null;
  bytes: number | null;
}

const RESULT_SCHEMA = describes<ProbeResult>()(
  partial({ waited_ms: int(), url: nullable(str()), http_status: nullable(int()), bytes: nullable(int()) }),
);

/**
 * Diagnostics: a queued task whose work is a real, abortable wait on a timer and/or an HTTP GET.
 * It exercises the background path (queue, priorities, cancellation, timeouts, callbacks, SSE) end to
 * end without an LLM, and lets operators check that workers pick up work.
 */
@Injectable()
export class SystemProbeTask implements OnModuleInit {
  constructor(
    private readonly registry: TaskTypeRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const definition: TaskTypeDefinition<SystemProbeParams, ProbeResult> = {
      type: 'system_probe',
      domain: 'system',
      description: 'Diagnostics: in the background queue, waits wait_ms milliseconds and/or GETs url (outbound guard applies).',
      complexity: 'simple',
      strategy: 'direct_api',
      requiresAi: false,
      queued: true,
      check: (p) => (p.wait_ms === undefined && p.url === undefined ? [{ field: '', message: 'give wait_ms, url or both' }] : []),
      parameters: SystemProbeParams,
      resultSchema: RESULT_SCHEMA,
      run: (context, parameters) => this.run(context, parameters),
    };
    this.registry.register(definition);
  }

  async run(context: TaskRunContext, parameters: SystemProbeParams): Promise<TaskOutcome<ProbeResult>> {
    const started = Date.now();
    let httpStatus: number | null = null;
    let bytes: number | null = null;
    if (parameters.wait_ms !== undefined) {
      const ms = parameters.wait_ms;
      await context.trace.run({ kind: 'wait', name: 'wait', input: { ms } }, () => sleep(ms, undefined, { signal: context.signal }));
    }
    if (parameters.url !== undefined) {
      const url = parameters.url;
      const response = await context.trace.run(
        { kind: 'tool', name: 'http_get', input: { url } },
        () => outboundRequest(url, { signal: context.signal, timeoutMs: 60_000, allowPrivate: this.config.security.outboundAllowPrivate }),
        (r) => ({ status: r.status, bytes: Buffer.byteLength(r.body) }),
      );
      httpStatus = response.status;
      bytes = Buffer.byteLength(response.body);
    }
    return {
      aiMode: 'deterministic',
      result: { waited_ms: Date.now() - started, url: parameters.url ?? null, http_status: httpStatus, bytes },
    };
  }
}
