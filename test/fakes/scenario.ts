/**
 * What a fake does with the next chat request. Every fake understands every scenario, in its
 * own provider's wire format.
 */
export type Scenario =
  /** A normal answer, streamed in these chunks. */
  | {
      kind: 'answer';
      chunks: string[];
      firstTokenDelayMs?: number;
      chunkDelayMs?: number;
      /** Paces the chunks at this rate from the first one on, without drift (a model generating at a steady speed). */
      chunksPerSecond?: number;
      finish?: string;
      /** Prompt-cache tokens to report (Anthropic and Bedrock count them apart from input). */
      cache?: { read: number; write: number };
      /** Tool calls after the text, in the provider's own form (give `finish` as the provider says it: tool_calls, tool_use). */
      toolCalls?: FakeToolCall[];
    }
  /** An HTTP error before any streaming, with the provider's real error body. */
  | { kind: 'http-error'; status: number; body: unknown; headers?: Record<string, string> }
  /** Streams these chunks, then drops the connection without finishing. */
  | { kind: 'die-midway'; chunks: string[] }
  /** Streams these chunks, then an error inside the 200 stream, in the provider's format. */
  | { kind: 'stream-error'; chunks: string[]; error: unknown }
  /** Streams these chunks, then waits forever (until the client goes away). */
  | { kind: 'stall'; chunks: string[] }
  /** Streams these chunks, then a frame that does not parse (a bad JSON line, bad SSE, a Bedrock event with a bad CRC). */
  | { kind: 'malformed'; chunks: string[] }
  /** Drops the connection before sending a single byte of the response. */
  | { kind: 'reset' };

/** A tool call a fake answers with. */
export interface FakeToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export const DEFAULT_ANSWER: Scenario = { kind: 'answer', chunks: ['Hello', ' from', ' the', ' fake', '!'] };

/** Token counts the fakes report: a word per chunk in, one per chunk out. */
export function fakeUsage(prompt: string, chunks: readonly string[]): { input: number; output: number } {
  return { input: prompt.split(/\s+/).filter(Boolean).length, output: chunks.length };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
