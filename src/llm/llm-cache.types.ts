import type { ChatResult } from './llm-client.js';

/** The part of a chat result worth keeping: what the model said, not what the call cost. */
export type CachedChat = Pick<ChatResult, 'message' | 'content' | 'refusal' | 'toolCalls' | 'finishReason' | 'model'>;
