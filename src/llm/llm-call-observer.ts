/** One finished LLM call, for metrics (the monitoring module records it; the LLM layer never imports monitoring). */
export interface LlmCallSample {
  model: string;
  /** gen_ai.operation.name, e.g. "chat". */
  operation?: string;
  inputTokens: number;
  outputTokens: number;
  durationS: number;
  costUsd: number;
}

export interface LlmCallObserver {
  recordLlmCall(call: LlmCallSample): void;
}

export const LLM_CALL_OBSERVER = Symbol('LLM_CALL_OBSERVER');
