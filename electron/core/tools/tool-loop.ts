import type { ChatMessage, ChatRequest, MessagePart, StreamPart, ToolCallPart, ToolResultPart, ToolSpec } from '../../../shared/chat';
import { AtelierError } from '../../../shared/errors';
import type { ChatRouter, StreamContext } from '../chat/router';
import type { ToolServers } from './tool-servers';
import { takesTools } from '../models/capabilities';

/** What the user decides about one tool call. */
export type ToolApproval = 'once' | 'conversation' | 'deny';

export interface ToolCallRequest {
  server: string;
  tool: string;
  args: Record<string, unknown>;
}

export interface ToolLoopOptions {
  router: ChatRouter;
  servers: ToolServers;
  /** The tool servers whose tools the model is offered. */
  serverNames: readonly string[];
  /** Asks the user (the app's prompt, the terminal) before a call runs. */
  approve: (call: ToolCallRequest) => Promise<ToolApproval>;
  /** Tools allowed for the whole conversation already (`server/tool`); grows with "Allow for this conversation". */
  allowed?: Set<string>;
  /** How many model turns at most (each may call tools). */
  maxSteps?: number;
  signal?: AbortSignal;
  context?: StreamContext;
}

export const DEFAULT_MAX_STEPS = 8;
/** At most this many tools are offered at once (OpenAI's API takes 128). */
export const MAX_TOOLS_OFFERED = 128;
/** A tool's answer longer than this is cut before it goes back to the model (and into the context). */
export const MAX_RESULT_CHARS = 50_000;

const CANCELLED_PART: StreamPart = { type: 'error', code: 'cancelled', message: 'You stopped the answer.', hint: 'Ask again when you are ready.' };

/**
 * A conversation turn with tools: the model is offered the servers' tools; when it calls some,
 * each call is shown for approval, run through its server (its route checked by the tier, one
 * egress entry each), and its result goes back to the model, until it answers without a call or
 * the step limit is reached. Every model turn goes through the router like any request.
 */
export async function* runToolLoop(request: ChatRequest, options: ToolLoopOptions): AsyncGenerator<StreamPart> {
  // A model that cannot call tools is said so before anything is sent.
  if (takesTools(request.model) === false) {
    yield { type: 'error', code: 'invalid_request', message: `${request.model} cannot call tools.`, hint: 'Choose a model that can (Claude, GPT-4o or later, Llama 3.1 and later, Qwen 2.5 and later, Mistral), or ask without tools.' };
    return;
  }
  // Listing the tools may start or reach servers: a stop ends it at once.
  const offered = await untilAborted(offeredTools(options), options.signal);
  if (offered === null) {
    yield CANCELLED_PART;
    return;
  }
  const { specs, byName, notices } = offered;
  for (const message of notices) yield { type: 'notice', message };
  const allowed = options.allowed ?? new Set<string>();
  const messages: ChatMessage[] = [...request.messages];
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  for (let step = 1; step <= maxSteps; step++) {
    const calls: ToolCallPart[] = [];
    let text = '';
    let finish: Extract<StreamPart, { type: 'finish' }> | null = null;
    for await (const part of options.router.stream({ ...request, messages, ...(specs.length > 0 && { tools: specs }) }, options.signal, options.context)) {
      if (part.type === 'tool-call') calls.push(part);
      else if (part.type === 'finish') finish = part;
      else {
        if (part.type === 'text-delta') text += part.text;
        yield part;
        if (part.type === 'error') return;
      }
    }
    if (calls.length === 0) {
      if (finish) yield finish;
      return;
    }
    messages.push({ role: 'assistant', content: [...(text ? [{ type: 'text' as const, text }] : []), ...calls] });
    const results: ToolResultPart[] = [];
    for (const call of calls) {
      yield call;
      const result = await runCall(call, byName, allowed, options);
      results.push(result);
      yield result;
      if (options.signal?.aborted) {
        yield CANCELLED_PART;
        return;
      }
    }
    messages.push({ role: 'user', content: results satisfies MessagePart[] });
  }
  yield { type: 'error', code: 'provider_error', message: `The model kept calling tools: stopped after ${maxSteps} steps.`, hint: 'Ask again more precisely, or without tools.' };
}

async function runCall(call: ToolCallPart, byName: ReadonlyMap<string, { server: string; tool: string }>, allowed: Set<string>, options: ToolLoopOptions): Promise<ToolResultPart> {
  const result = (text: string, isError: boolean): ToolResultPart => ({ type: 'tool-result', id: call.id, name: call.name, text, isError });
  const target = byName.get(call.name);
  if (!target) return result(`There is no tool “${call.name}”.`, true);
  if ('_raw' in call.args && Object.keys(call.args).length === 1) return result('The arguments were not valid JSON; call the tool again with a JSON object.', true);
  const key = `${target.server}/${target.tool}`;
  if (!allowed.has(key)) {
    const decision = await options.approve({ server: target.server, tool: target.tool, args: call.args });
    if (decision === 'deny') return result('The user did not allow this tool call.', true);
    if (decision === 'conversation') allowed.add(key);
  }
  try {
    const outcome = await options.servers.callTool(target.server, target.tool, call.args, options.signal ? { signal: options.signal } : {});
    const text = outcome.text.length > MAX_RESULT_CHARS ? `${outcome.text.slice(0, MAX_RESULT_CHARS)}\n[cut: the tool answered ${outcome.text.length.toLocaleString('en')} characters]` : outcome.text;
    return result(text, outcome.isError);
  } catch (error) {
    return result(error instanceof AtelierError ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : String(error), true);
  }
}

/** The promise's value, or null as soon as `signal` is aborted. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | null> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** The servers' tools as the model sees them (`server__tool`); a server that cannot be reached or is not allowed is said and left out. */
async function offeredTools(options: ToolLoopOptions): Promise<{ specs: ToolSpec[]; byName: Map<string, { server: string; tool: string }>; notices: string[] }> {
  const specs: ToolSpec[] = [];
  const byName = new Map<string, { server: string; tool: string }>();
  const notices: string[] = [];
  for (const server of options.serverNames) {
    try {
      for (const tool of await options.servers.listTools(server)) {
        const name = `${server}__${tool.name}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
        if (byName.has(name)) {
          notices.push(`The tool “${tool.name}” of “${server}” is not offered: its name reads like another tool’s (${name}).`);
          continue;
        }
        if (specs.length >= MAX_TOOLS_OFFERED) {
          notices.push(`Only the first ${MAX_TOOLS_OFFERED} tools are offered; “${server}” has more.`);
          break;
        }
        byName.set(name, { server, tool: tool.name });
        specs.push({ name, description: (tool.description || tool.title || tool.name).slice(0, 4000), parameters: tool.inputSchema });
      }
    } catch (error) {
      notices.push(`The tools of “${server}” are not offered: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { specs, byName, notices };
}
