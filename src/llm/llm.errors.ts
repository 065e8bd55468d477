export type LlmErrorCode = 'llm_aborted' | 'llm_timeout' | 'llm_provider_error' | 'llm_request_error' | 'llm_circuit_open';

/**
 * A failed LLM call. `providerFailure` says whether it counts against the provider's health (circuit breaker);
 * `guidance` is a sentence an operator can act on, suitable for a task's `guidance` field.
 */
export abstract class LlmError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  abstract readonly code: LlmErrorCode;
  abstract readonly providerFailure: boolean;
  abstract readonly guidance: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller's AbortSignal fired (task cancelled or out of time); not the provider's fault. */
export class LlmAbortedError extends LlmError {
  readonly code = 'llm_aborted';
  readonly providerFailure = false;
  readonly guidance = 'The LLM call was cancelled by its task.';

  constructor(readonly reason?: unknown) {
    super('The LLM call was aborted by the caller.', { cause: reason });
  }
}

/** No response within the per-request timeout, on every attempt. */
export class LlmTimeoutError extends LlmError {
  readonly code = 'llm_timeout';
  readonly providerFailure = true;
  readonly guidance: string;

  constructor(
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(`The LLM provider did not answer within ${timeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}).`);
    this.guidance = `The LLM provider timed out after ${timeoutMs} ms; check that it is reachable and not overloaded, or raise LLM_REQUEST_TIMEOUT.`;
  }
}

/** The provider failed: 5xx, 429 or 408 after the retries, a connection error, or an unusable response. */
export class LlmProviderError extends LlmError {
  readonly code = 'llm_provider_error';
  readonly providerFailure = true;
  readonly guidance: string;

  constructor(
    message: string,
    readonly details: { status?: number; providerCode?: string | null; requestId?: string | null; attempts: number; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.guidance =
      details.status === 429
        ? 'The LLM provider kept rate-limiting after the retries; lower MAX_RPM or raise the provider quota.'
        : 'The LLM provider is failing or unreachable; check OPENAI_BASE_URL and the provider status, then retry the task.';
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get attempts(): number {
    return this.details.attempts;
  }
}

/** The provider rejected the request itself (4xx other than 408/429): retrying the same request will not help. */
export class LlmRequestError extends LlmError {
  readonly code = 'llm_request_error';
  readonly providerFailure = false;
  readonly guidance: string;

  constructor(
    message: string,
    readonly status: number,
    readonly details: { providerCode?: string | null; param?: string | null; requestId?: string | null; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.guidance =
      status === 401 || status === 403
        ? 'The LLM provider refused the credentials; check OPENAI_API_KEY.'
        : status === 404
          ? 'The LLM provider does not know the model or route; check OPENAI_MODEL and OPENAI_BASE_URL.'
          : 'The LLM provider rejected the request; see the error message for the offending parameter.';
  }
}

/** The circuit breaker is open after repeated provider failures: failed fast without an HTTP call. */
export class LlmCircuitOpenError extends LlmError {
  readonly code = 'llm_circuit_open';
  readonly providerFailure = false;
  readonly guidance: string;

  constructor(readonly retryAfterMs: number) {
    super(`The LLM circuit is open after repeated provider failures; the next probe is allowed in ${retryAfterMs} ms.`);
    this.guidance = 'The LLM provider failed repeatedly, so calls are paused; the deterministic fallback is used until it recovers.';
  }
}
