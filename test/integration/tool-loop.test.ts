import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { McpServerConfig } from '../../shared/tools';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { EgressLog } from '../../electron/core/privacy/egress-log';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { openDatabase } from '../../electron/core/store/database';
import { runToolLoop, type ToolApproval, type ToolCallRequest } from '../../electron/core/tools/tool-loop';
import { ToolServers } from '../../electron/core/tools/tool-servers';
import { repoRoot } from '../support/built-cli';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { tempDir } from '../support/temp-dir';
import { writeSettings } from '../support/settings-file';
import { runAtelier } from '../support/run-cli';
import { startMainProcess } from '../support/main-process';
import type { StoredMessage } from '../../shared/conversations';

const useFakes = useProviderFakes();
const STDIO: McpServerConfig = { name: 'tools', transport: 'stdio', command: process.execPath, args: [path.join(repoRoot, 'test/fakes/mcp-test-server.mjs')], env: [], enabled: true };

let open: ToolServers[] = [];
afterEach(async () => {
  await Promise.all(open.map((servers) => servers.closeAll()));
  open = [];
});

async function setup() {
  const db = openDatabase(await tempDir());
  const egress = new EgressLog(db);
  const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig({ ...DEFAULT_SETTINGS, privacy: { tier: 'non_dsgvo' } }, useFakes().env), onEgress: (entry) => egress.record(entry) });
  const servers = new ToolServers({ servers: () => [STDIO], policy: () => UNRESTRICTED, env: process.env, secrets: null, onEgress: (entry) => egress.record(entry) });
  open.push(servers);
  return { router, servers, egress };
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const all: StreamPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

interface OpenAiBody {
  tools?: { type: string; function: { name: string; parameters: { properties: Record<string, unknown> } } }[];
  messages: { role: string; content: unknown; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }[];
}

describe('tool-calling round trips through each provider’s wire format', () => {
  const cases = [
    { provider: 'anthropic', model: FAKE_MODELS.anthropic, finish: 'tool_use', chat: (path: string) => path.endsWith('/messages') },
    { provider: 'bedrock', model: FAKE_MODELS.bedrock, finish: 'tool_use', chat: (path: string) => path.includes('/converse') },
    { provider: 'ollama', model: FAKE_MODELS.local, finish: 'stop', chat: (path: string) => path === '/api/chat' },
    { provider: 'openrouter', model: FAKE_MODELS.openrouter, finish: 'tool_calls', chat: (path: string) => path.endsWith('/chat/completions') },
  ] as const;
  it.each(cases)('$provider: the call comes back as a tool-call part, and its result goes out in the provider’s form', async ({ provider, model, finish, chat }) => {
    const { router, servers, egress } = await setup();
    const fake = useFakes()[provider];
    fake.respondWith({ kind: 'answer', chunks: ['Ich rechne.'], toolCalls: [{ id: 'call_1', name: 'tools__add', args: { a: 2, b: 40 } }], finish }, { kind: 'answer', chunks: ['42.'] });
    const before = fake.requests.filter((request) => chat(request.path)).length;
    const parts = await collect(runToolLoop({ model, messages: [{ role: 'user', content: 'Was ist 2 + 40?' }] }, { router, servers, serverNames: ['tools'], approve: async () => 'once' }));
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({ name: 'tools__add', args: { a: 2, b: 40 } });
    expect(parts.find((part) => part.type === 'tool-result')).toMatchObject({ text: '42', isError: false });
    expect(parts.at(-1)?.type).toBe('finish');
    const sent = fake.requests.filter((request) => chat(request.path)).slice(before).map((request) => request.body);
    expect(sent).toHaveLength(2);
    const [first, second] = sent as [string, string];
    // The tools were offered, and the result went back, each in the provider's own words.
    const wire = {
      anthropic: { offered: '"input_schema"', result: '"type":"tool_result","tool_use_id":"call_1","content":"42","is_error":false', call: '"type":"tool_use","id":"call_1","name":"tools__add","input":{"a":2,"b":40}' },
      bedrock: { offered: '"toolSpec"', result: '"toolResult":{"toolUseId":"call_1","content":[{"text":"42"}],"status":"success"}', call: '"toolUse":{"toolUseId":"call_1","name":"tools__add","input":{"a":2,"b":40}}' },
      ollama: { offered: '"tools":[{"type":"function"', result: '{"role":"tool","content":"42","tool_name":"tools__add"}', call: '"tool_calls":[{"function":{"name":"tools__add","arguments":{"a":2,"b":40}}}]' },
      openrouter: { offered: '"tools":[{"type":"function"', result: '{"role":"tool","tool_call_id":"call_1","content":"42"}', call: '"tool_calls":[{"id":"call_1","type":"function","function":{"name":"tools__add","arguments":"{\\"a\\":2,\\"b\\":40}"}}]' },
    }[provider];
    expect(first).toContain(wire.offered);
    expect(second).toContain(wire.call);
    expect(second).toContain(wire.result);
    expect(egress.list().filter((entry) => entry.purpose === 'tool-call').map((entry) => entry.modelId)).toEqual(['add']);
  });
});

describe('the tool loop, through OpenAI’s tool_calls', () => {
  it('offers the server’s tools, asks before the call, runs it, and gives the model the result', async () => {
    const { router, servers, egress } = await setup();
    useFakes().openai.respondWith(
      { kind: 'answer', chunks: [], toolCalls: [{ id: 'call_1', name: 'tools__add', args: { a: 2, b: 40 } }], finish: 'tool_calls' },
      { kind: 'answer', chunks: ['Es sind ', '42.'] },
    );
    const asked: ToolCallRequest[] = [];
    const parts = await collect(
      runToolLoop({ model: FAKE_MODELS.openai, messages: [{ role: 'user', content: 'Was ist 2 + 40?' }] }, {
        router,
        servers,
        serverNames: ['tools'],
        approve: async (call) => {
          asked.push(call);
          return 'once';
        },
      }),
    );
    expect(asked).toEqual([{ server: 'tools', tool: 'add', args: { a: 2, b: 40 } }]);
    expect(parts.filter((part) => part.type === 'tool-call' || part.type === 'tool-result')).toEqual([
      { type: 'tool-call', id: 'call_1', name: 'tools__add', args: { a: 2, b: 40 } },
      { type: 'tool-result', id: 'call_1', name: 'tools__add', text: '42', isError: false },
    ]);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => (part.type === 'text-delta' ? part.text : '')).join('')).toBe('Es sind 42.');
    expect(parts.at(-1)?.type).toBe('finish');
    const [first, second] = useFakes().openai.requests.filter((request) => request.path.endsWith('/chat/completions')).slice(-2).map((request) => JSON.parse(request.body) as OpenAiBody);
    expect(first?.tools?.map((tool) => tool.function.name)).toEqual(['tools__echo', 'tools__add', 'tools__fail', 'tools__slow', 'tools__env']);
    expect(first?.tools?.find((tool) => tool.function.name === 'tools__add')?.function.parameters.properties).toHaveProperty('a');
    expect(second?.messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'tools__add', arguments: '{"a":2,"b":40}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '42' },
    ]);
    // Each call is in the egress record, beside the two model turns.
    expect(egress.list().map((entry) => [entry.purpose, entry.provider, entry.modelId])).toEqual([
      ['chat', 'openai', 'gpt-fake-mini'],
      ['tool-call', 'mcp:tools', 'add'],
      ['chat', 'openai', 'gpt-fake-mini'],
    ]);
  });

  it('a denied call is not run, and the model is told; "for this conversation" is asked once', async () => {
    const { router, servers, egress } = await setup();
    const call = (id: string) => ({ kind: 'answer' as const, chunks: [], toolCalls: [{ id, name: 'tools__echo', args: { text: id } }], finish: 'tool_calls' });
    useFakes().openai.respondWith(call('a'), { kind: 'answer', chunks: ['Schade.'] });
    const denied = await collect(runToolLoop({ model: FAKE_MODELS.openai, messages: [{ role: 'user', content: 'Echo!' }] }, { router, servers, serverNames: ['tools'], approve: async () => 'deny' }));
    expect(denied.find((part) => part.type === 'tool-result')).toMatchObject({ isError: true, text: 'The user did not allow this tool call.' });
    expect(egress.list().filter((entry) => entry.purpose === 'tool-call')).toEqual([]);

    useFakes().openai.respondWith(call('b'), call('c'), { kind: 'answer', chunks: ['Fertig.'] });
    let asked = 0;
    const approve = async (): Promise<ToolApproval> => {
      asked++;
      return 'conversation';
    };
    const parts = await collect(runToolLoop({ model: FAKE_MODELS.openai, messages: [{ role: 'user', content: 'Echo!' }] }, { router, servers, serverNames: ['tools'], approve }));
    expect(asked).toBe(1);
    expect(parts.filter((part) => part.type === 'tool-result').map((part) => (part.type === 'tool-result' ? part.text : ''))).toEqual(['b', 'c']);
  });

  it('a model that cannot call tools says so before anything is sent', async () => {
    const { router, servers } = await setup();
    const before = useFakes().ollama.requests.length;
    const parts = await collect(runToolLoop({ model: 'local/gemma3:4b', messages: [{ role: 'user', content: 'Rechne' }] }, { router, servers, serverNames: ['tools'], approve: async () => 'once' }));
    expect(parts).toEqual([expect.objectContaining({ type: 'error', code: 'invalid_request', message: 'local/gemma3:4b cannot call tools.' })]);
    expect(useFakes().ollama.requests.length).toBe(before);
    expect(servers.pid('tools')).toBeNull();
  });

  it('stops after the step limit', async () => {
    const { router, servers } = await setup();
    useFakes().openai.respondWith({ kind: 'answer', chunks: [], toolCalls: [{ id: 'x', name: 'tools__echo', args: { text: 'again' } }], finish: 'tool_calls' });
    const parts = await collect(runToolLoop({ model: FAKE_MODELS.openai, messages: [{ role: 'user', content: 'Loop' }] }, { router, servers, serverNames: ['tools'], approve: async () => 'conversation', maxSteps: 3 }));
    expect(parts.filter((part) => part.type === 'tool-result')).toHaveLength(3);
    expect(parts.at(-1)).toMatchObject({ type: 'error', message: 'The model kept calling tools: stopped after 3 steps.' });
  });
});

describe('atelier chat --tools', () => {
  async function home() {
    const dir = await tempDir();
    await writeSettings(dir, { privacy: { tier: 'non_dsgvo' }, mcp: { servers: [STDIO] } });
    return { ...useFakes().env, ATELIER_HOME: dir };
  }
  const toolCall = { kind: 'answer' as const, chunks: [], toolCalls: [{ id: 'call_1', name: 'tools__add', args: { a: 2, b: 40 } }], finish: 'tool_calls' };

  it('--allow-tools runs the calls without asking; --json lists them', async () => {
    const env = await home();
    useFakes().openai.respondWith(toolCall, { kind: 'answer', chunks: ['42.'] });
    const result = await runAtelier(['chat', '-m', FAKE_MODELS.openai, '--allow-tools', 'tools', '--json', 'Was ist 2 + 40?'], { env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ text: '42.', toolCalls: [{ server: 'tools', tool: 'add', args: { a: 2, b: 40 }, result: '42', isError: false, allowed: true }] });
  });

  it('--tools asks on the terminal; "n" denies, and without a terminal the call is not allowed', async () => {
    const env = await home();
    useFakes().openai.respondWith(toolCall, { kind: 'answer', chunks: ['Schade.'] });
    const asked = await runAtelier(['chat', '-m', FAKE_MODELS.openai, '--tools', 'Was ist 2 + 40?'], { env, answers: ['n'] });
    expect(asked.stderr).toContain('Tool call: tools/add {"a":2,"b":40}');
    expect(asked.stderr).toContain('Tool failed: The user did not allow this tool call.');
    expect(asked.stdout).toBe('Schade.\n');
    useFakes().openai.respondWith(toolCall, { kind: 'answer', chunks: ['Ohne.'] });
    const piped = await runAtelier(['chat', '-m', FAKE_MODELS.openai, '--tools', '--json'], { env, stdin: 'Was ist 2 + 40?' });
    expect(piped.stderr).toContain('there is no terminal to ask. Allow it with --allow-tools tools');
    expect(JSON.parse(piped.stdout)).toMatchObject({ toolCalls: [{ allowed: false, isError: true }] });
    useFakes().openai.respondWith(toolCall, { kind: 'answer', chunks: ['Ja.'] });
    const yes = await runAtelier(['chat', '-m', FAKE_MODELS.openai, '--tools', 'Was ist 2 + 40?'], { env, answers: ['y'] });
    expect(yes.stderr).toContain('Tool result: 42');
  });
});

describe('tools in the app’s conversations', () => {
  it('a call waits for the user’s decision, runs, is saved with the answer and its result goes back with the history; a stopped answer runs nothing', async () => {
    const dir = await tempDir();
    await writeSettings(dir, { privacy: { tier: 'non_dsgvo' }, mcp: { servers: [STDIO] } });
    const main = await startMainProcess(dir, ['app://atelier'], useFakes().env);
    const app = { url: 'app://atelier/' };
    const call = async <T,>(channel: string, input?: unknown): Promise<T> => {
      const result = (await main.dispatch(channel, input, app)) as { ok: boolean; value?: T; error?: unknown };
      if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
      return result.value as T;
    };
    const requests: { requestId: string; conversationId: number; server: string; tool: string; args: unknown }[] = [];
    const stop = main.forwardEvents((event, payload) => {
      if (event === 'tools:approval-requested') requests.push(payload as (typeof requests)[number]);
    });
    try {
      useFakes().openai.respondWith({ kind: 'answer', chunks: ['Ich rechne. '], toolCalls: [{ id: 'call_1', name: 'tools__add', args: { a: 2, b: 40 } }], finish: 'tool_calls' }, { kind: 'answer', chunks: ['Es sind 42.'] });
      const sent = await call<{ conversation: { id: number }; answer: { id: number } }>('chat:send', { conversationId: null, model: FAKE_MODELS.openai, parts: [{ type: 'text', text: 'Was ist 2 + 40?' }], tools: true });
      await expect.poll(() => requests.length).toBe(1);
      expect(requests[0]).toMatchObject({ conversationId: sent.conversation.id, server: 'tools', tool: 'add', args: { a: 2, b: 40 } });
      expect(await call('tools:answer-approval', { requestId: requests[0]?.requestId, decision: 'once' })).toEqual({ answered: true });
      expect(await call('tools:answer-approval', { requestId: requests[0]?.requestId, decision: 'deny' })).toEqual({ answered: false });
      let saved: StoredMessage | null = null;
      await expect
        .poll(async () => {
          saved = (await call<{ message: StoredMessage }>('conversations:get-message', { id: sent.answer.id })).message;
          return saved.status;
        })
        .toBe('complete');
      expect(saved).toMatchObject({ parts: [{ type: 'text', text: 'Ich rechne. Es sind 42.' }], toolCalls: [{ id: 'call_1', name: 'tools__add', args: { a: 2, b: 40 }, result: '42', isError: false }] });

      // The next question carries the call and its result in the history, in OpenAI's form.
      useFakes().openai.respondWith({ kind: 'answer', chunks: ['Gern.'] });
      const next = await call<{ answer: { id: number } }>('chat:send', { conversationId: sent.conversation.id, model: FAKE_MODELS.openai, parts: [{ type: 'text', text: 'Danke!' }] });
      await expect.poll(async () => (await call<{ message: StoredMessage }>('conversations:get-message', { id: next.answer.id })).message.status).toBe('complete');
      const history = (JSON.parse(useFakes().openai.lastRequest().body) as OpenAiBody).messages;
      expect(history.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
      const markdown = await call<{ content: string }>('conversations:export', { id: sent.conversation.id, format: 'markdown' });
      expect(markdown.content).toContain('> Tool `tools__add` {"a":2,"b":40} → 42');

      // Stopped while a call waits: it is denied, nothing runs.
      useFakes().openai.respondWith({ kind: 'answer', chunks: [], toolCalls: [{ id: 'call_2', name: 'tools__echo', args: { text: 'x' } }], finish: 'tool_calls' }, { kind: 'answer', chunks: ['…'] });
      const before = main.services.egress.list().filter((entry) => entry.purpose === 'tool-call').length;
      const third = await call<{ streamId: string; answer: { id: number } }>('chat:send', { conversationId: sent.conversation.id, model: FAKE_MODELS.openai, parts: [{ type: 'text', text: 'Echo?' }], tools: true });
      await expect.poll(() => requests.length).toBe(2);
      await call('chat:abort', { streamId: third.streamId });
      await expect.poll(async () => (await call<{ message: StoredMessage }>('conversations:get-message', { id: third.answer.id })).message.status).not.toBe('streaming');
      expect(await call('tools:answer-approval', { requestId: requests[1]?.requestId, decision: 'once' })).toEqual({ answered: false });
      expect(main.services.egress.list().filter((entry) => entry.purpose === 'tool-call').length).toBe(before);
    } finally {
      stop();
      await main.services.close();
    }
  });
});
