import {
  reply,
  type RecordedRequest,
  type ScriptedOpenAiServer,
  type ScriptedReply,
  startScriptedOpenAiServer,
} from '../../support/scripted-openai-server.js';

/** Every task's description carries `REL[<key>]`; the scripted model answers by that key. */
const MARKER = /REL\[([a-z0-9-]+)\]/;

/** How the model answers the narrative call of a task, chosen by the key's prefix. */
export interface LlmBehaviour {
  /** `slow-*` keys wait this long before answering. */
  slowMs: number;
}

/**
 * The scripted OpenAI-compatible server for the reliability suite: every narrative call answers after a
 * small latency (30–80 ms, so tasks overlap), `slow-*` keys after `slowMs`, and `hang-*` keys never (the
 * request stays open until the client gives up — the server records that it closed the connection).
 */
export class ReliabilityLlm {
  private constructor(
    private readonly server: ScriptedOpenAiServer,
    private readonly behaviour: LlmBehaviour,
  ) {
    server.setScript((body, index) => this.answer(keyOf(JSON.stringify(body.messages ?? [])), index));
  }

  static async start(behaviour: Partial<LlmBehaviour> = {}): Promise<ReliabilityLlm> {
    return new ReliabilityLlm(await startScriptedOpenAiServer(), { slowMs: 8000, ...behaviour });
  }

  get url(): string {
    return this.server.url;
  }

  /** The description fragment that ties a task to its LLM calls. */
  static marker(key: string): string {
    return `REL[${key}]`;
  }

  /** The narrative the model writes for a key (the task's result must carry exactly this). */
  static summary(key: string): string {
    return `Scripted narrative for ${key}.`;
  }

  /** Chat completion requests made for `key`, in arrival order. */
  callsFor(key: string): RecordedRequest[] {
    return this.server.chatRequests.filter((request) => keyOf(request.rawBody) === key);
  }

  /** Number of chat completion requests per key. */
  callCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.server.chatRequests) {
      const key = keyOf(request.rawBody);
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  get totalCalls(): number {
    return this.server.chatRequests.length;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private answer(key: string | undefined, index: number): ScriptedReply {
    if (!key) return reply.error(400, { message: 'The reliability script found no REL[key] marker in the prompt.' });
    if (key.startsWith('hang-')) return reply.hang();
    // 30–80 ms, varied deterministically, so concurrently running tasks finish out of order.
    const latencyMs = key.startsWith('slow-') ? this.behaviour.slowMs : 30 + ((index * 37) % 51);
    const narrative = { summary: ReliabilityLlm.summary(key), highlights: [`key ${key}`], recommendations: ['Follow up this week'] };
    return reply.message(JSON.stringify(narrative), { latencyMs, usage: { prompt_tokens: 200, completion_tokens: 30 } });
  }
}

function keyOf(text: string): string | undefined {
  return MARKER.exec(text)?.[1];
}
