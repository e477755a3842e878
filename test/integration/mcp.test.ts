import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../../shared/tools';
import { EgressLog } from '../../electron/core/privacy/egress-log';
import { effectivePolicy, UNRESTRICTED, type PrivacyPolicy } from '../../electron/core/privacy/policy';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { writeSettings } from '../support/settings-file';
import { runAtelier } from '../support/run-cli';
import { openDatabase } from '../../electron/core/store/database';
import { ToolServers } from '../../electron/core/tools/tool-servers';
import { runToolLoop } from '../../electron/core/tools/tool-loop';
import type { ChatRouter } from '../../electron/core/chat/router';
import { repoRoot } from '../support/built-cli';
import { tempDir } from '../support/temp-dir';
import { startMainProcess } from '../support/main-process';
// @ts-expect-error: plain JavaScript, started as a program by the stdio tests
import { createToolServer } from '../fakes/mcp-test-server.mjs';

const STDIO: McpServerConfig = { name: 'tools', transport: 'stdio', command: process.execPath, args: [path.join(repoRoot, 'test/fakes/mcp-test-server.mjs')], env: ['WIKI_TOKEN'], enabled: true };

/** The test tool server behind Streamable HTTP (stateless: a server per request), counting requests. */
let httpServer: http.Server;
let httpRequests = 0;
let port = 0;
beforeAll(async () => {
  httpServer = http.createServer((req, res) => {
    httpRequests++;
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers: Object.entries(req.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as [string, string]] : [])),
        ...(req.method === 'POST' && { body: Buffer.concat(chunks) }),
      });
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      const server = (createToolServer as () => { connect(transport: unknown): Promise<void> })();
      await server.connect(transport);
      const response = await transport.handleRequest(request);
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      res.end();
    })().catch(() => res.destroy());
  });
  // On every interface: http://0.0.0.0:PORT reaches it, yet is no loopback address to Atelier.
  await new Promise<void>((done) => httpServer.listen(0, '0.0.0.0', done));
  port = (httpServer.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => httpServer.close(() => done())));

let open: ToolServers[] = [];
afterEach(async () => {
  await Promise.all(open.map((servers) => servers.closeAll()));
  open = [];
});

async function toolServers(servers: McpServerConfig[], policy: PrivacyPolicy = UNRESTRICTED, secretEnv: Record<string, string> = {}) {
  const db = openDatabase(await tempDir());
  const egress = new EgressLog(db);
  const secrets = { get: async (name: string) => secretEnv[name.split(':').at(-1) ?? ''] ?? null } as never;
  const hub = new ToolServers({ servers: () => servers, policy: () => policy, env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-api03-mustNotLeakToTools0123' }, secrets, onEgress: (entry) => egress.record(entry) });
  open.push(hub);
  return { hub, egress };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('MCP tool servers through the official SDK', () => {
  it('a local (stdio) server: lists its tools, calls one, reports a tool’s own failure, passes only its own environment', async () => {
    const { hub, egress } = await toolServers([STDIO], UNRESTRICTED, { WIKI_TOKEN: 'wiki-secret-123' });
    const tools = await hub.listTools('tools');
    expect(tools.map((tool) => tool.name)).toEqual(['echo', 'add', 'fail', 'slow', 'env']);
    expect(tools.find((tool) => tool.name === 'add')).toMatchObject({ server: 'tools', title: 'Add two numbers', inputSchema: { type: 'object', properties: { a: { type: 'number' } } } });
    expect(await hub.callTool('tools', 'add', { a: 2, b: 40 })).toEqual({ text: '42', isError: false });
    expect(await hub.callTool('tools', 'fail', {})).toEqual({ text: 'The wiki is down.', isError: true });
    // Its own variable from the keychain; never Atelier's provider keys.
    expect((await hub.callTool('tools', 'env', {})).text).toBe('WIKI_TOKEN=wiki-secret-123 ANTHROPIC_API_KEY=');
    const calls = egress.list().filter((entry) => entry.purpose === 'tool-call');
    expect(calls.map((entry) => [entry.provider, entry.modelId, entry.routeClass, entry.outcome])).toEqual([
      ['mcp:tools', 'env', 'local', 'completed'],
      ['mcp:tools', 'fail', 'local', 'failed'],
      ['mcp:tools', 'add', 'local', 'completed'],
    ]);
  });

  it('reports progress, times out, cancels, and a call after the server died starts it again', async () => {
    const { hub } = await toolServers([STDIO]);
    const progress: number[] = [];
    expect((await hub.callTool('tools', 'slow', { steps: 3 }, { onProgress: (update) => progress.push(update.progress) })).text).toBe('done after 3 steps');
    expect(progress).toEqual([1, 2, 3]);
    await expect(hub.callTool('tools', 'slow', { steps: 40 }, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'timeout' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 120);
    await expect(hub.callTool('tools', 'slow', { steps: 40 }, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });

    const pid = hub.pid('tools');
    expect(pid).not.toBeNull();
    process.kill(pid ?? 0, 'SIGKILL');
    await expect.poll(() => alive(pid ?? 0)).toBe(false);
    await expect.poll(async () => (await hub.callTool('tools', 'echo', { text: 'wieder da' }).catch(() => null))?.text, { timeout: 15_000 }).toBe('wieder da');
    expect(hub.pid('tools')).not.toBe(pid);
  });

  it('stops the local server’s process when Atelier closes its tool servers', async () => {
    const { hub } = await toolServers([STDIO]);
    await hub.listTools('tools');
    const pid = hub.pid('tools') ?? 0;
    expect(alive(pid)).toBe(true);
    await hub.closeAll();
    await expect.poll(() => alive(pid)).toBe(false);
  });

  it('a remote (Streamable HTTP) server: lists and calls', async () => {
    const server: McpServerConfig = { name: 'wiki', transport: 'http', url: `http://127.0.0.1:${port}/mcp`, enabled: true };
    const { hub, egress } = await toolServers([server]);
    expect((await hub.listTools('wiki')).map((tool) => tool.name)).toContain('echo');
    expect(await hub.callTool('wiki', 'echo', { text: 'Hallo' })).toEqual({ text: 'Hallo', isError: false });
    expect(egress.list()[0]).toMatchObject({ purpose: 'tool-call', provider: 'mcp:wiki', routeClass: 'local', host: '127.0.0.1', outcome: 'completed' });
  });

  it('under dsgvo_local a server that is not on this computer is never contacted; the refusal is recorded', async () => {
    const server: McpServerConfig = { name: 'wiki', transport: 'http', url: `http://0.0.0.0:${port}/mcp`, enabled: true };
    // Reachable at that address (the tier is what stops it):
    const open = await toolServers([server], UNRESTRICTED);
    expect(await open.hub.callTool('wiki', 'echo', { text: 'ok' })).toMatchObject({ text: 'ok' });
    const before = httpRequests;
    const { hub, egress } = await toolServers([server], { ...UNRESTRICTED, tier: 'dsgvo_local' });
    await expect(hub.listTools('wiki')).rejects.toMatchObject({ code: 'policy_denied' });
    await expect(hub.callTool('wiki', 'echo', { text: 'geheim' })).rejects.toMatchObject({ code: 'policy_denied' });
    expect(httpRequests).toBe(before);
    expect(egress.list().map((entry) => [entry.purpose, entry.outcome, entry.errorCode, entry.routeClass])).toEqual([
      ['tool-call', 'refused', 'policy_denied', 'non-eu'],
      ['tool-call', 'refused', 'policy_denied', 'non-eu'],
    ]);
  });

  it('a program that is not there, or an address that does not answer, says so', async () => {
    const { hub } = await toolServers([
      { name: 'nope', transport: 'stdio', command: 'atelier-no-such-program', args: [], env: [], enabled: true },
      { name: 'down', transport: 'http', url: 'http://127.0.0.1:9/mcp', enabled: true },
    ]);
    await expect(hub.listTools('nope')).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('“atelier-no-such-program” was not found') as unknown });
    await expect(hub.listTools('down')).rejects.toMatchObject({ message: expect.stringContaining('“down”') as unknown });
    await expect(hub.listTools('other')).rejects.toMatchObject({ message: 'There is no tool server “other”.' });
  });
});

describe('tool servers in the app', () => {
  it('are added, listed with where they run, switched off and removed over IPC; their tools listed; the classroom lock guards changes', async () => {
    const dir = await tempDir();
    const main = await startMainProcess(dir, ['app://atelier'], {});
    const app = { url: 'app://atelier/' };
    const call = async <T,>(channel: string, input?: unknown): Promise<T> => {
      const result = (await main.dispatch(channel, input, app)) as { ok: boolean; value?: T; error?: unknown };
      if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
      return result.value as T;
    };
    try {
      await call('tools:add-server', { server: STDIO, envValues: { WIKI_TOKEN: 'wiki-secret-123' } });
      await call('tools:add-server', { server: { name: 'wiki', transport: 'http', url: 'https://mcp.school.example/mcp', enabled: true } });
      expect(await call('tools:list-servers')).toMatchObject({ servers: [{ name: 'tools', routeClass: 'local' }, { name: 'wiki', routeClass: 'non-eu' }], lockedBy: null });
      expect(await main.dispatch('tools:add-server', { server: STDIO }, app)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      const { tools } = await call<{ tools: { name: string }[] }>('tools:list-tools', { name: 'tools' });
      expect(tools.map((tool) => tool.name)).toContain('add');
      expect(await main.services.toolServers.callTool('tools', 'env', {})).toMatchObject({ text: 'WIKI_TOKEN=wiki-secret-123 ANTHROPIC_API_KEY=' });
      // Under the default tier (dsgvo_local) the remote one is never contacted.
      expect(await main.dispatch('tools:list-tools', { name: 'wiki' }, app)).toMatchObject({ ok: false, error: { code: 'policy_denied' } });
      await call('tools:set-enabled', { name: 'wiki', enabled: false });
      await call('privacy:lock', { password: 'Tafel-Kreide-2026' });
      expect(await main.dispatch('tools:remove-server', { name: 'wiki' }, app)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
      expect(await call('tools:list-servers')).toMatchObject({ lockedBy: 'classroom-lock' });
      await call('privacy:unlock', { password: 'Tafel-Kreide-2026' });
      expect(await call('tools:remove-server', { name: 'wiki' })).toMatchObject({ servers: [{ name: 'tools' }] });
      const pid = main.services.toolServers.pid('tools') ?? 0;
      expect(alive(pid)).toBe(true);
    } finally {
      const pid = main.services.toolServers.pid('tools') ?? 0;
      await main.services.close();
      // Quitting stops the local server Atelier started.
      await expect.poll(() => alive(pid)).toBe(false);
    }
  });
});

describe('the school’s and the classroom lock’s rules for tools', () => {
  const remote: McpServerConfig = { name: 'wiki', transport: 'http', url: `http://127.0.0.1:${9}/mcp`, enabled: true };
  it('the policy file can forbid tools, local programs, other servers, or limit the tools; nothing is started', async () => {
    const rules = async (tools: NonNullable<PrivacyPolicy['tools']>) => (await toolServers([STDIO, remote], { ...UNRESTRICTED, tools })).hub;
    await expect((await rules({ allowed: false })).listTools('tools')).rejects.toMatchObject({ code: 'policy_denied', message: 'Your school does not allow tools.' });
    const noLocal = await rules({ localPrograms: false });
    await expect(noLocal.listTools('tools')).rejects.toMatchObject({ message: expect.stringContaining('programs on this computer') as unknown });
    expect(noLocal.pid('tools')).toBeNull();
    await expect((await rules({ allowedServers: ['wiki'] })).listTools('tools')).rejects.toMatchObject({ message: 'Your school does not allow the tool server “tools”.' });
    const limited = await rules({ allowedTools: ['tools/add', 'tools/e*'] });
    expect((await limited.listTools('tools')).map((tool) => tool.name)).toEqual(['echo', 'add', 'env']);
    await expect(limited.callTool('tools', 'fail', {})).rejects.toMatchObject({ message: 'Your school does not allow the tool tools/fail.' });
    expect((await limited.callTool('tools', 'add', { a: 1, b: 1 })).text).toBe('2');
  });

  it('the school ships its own servers: listed as the school’s, usable even where only allowed servers are', async () => {
    const dir = await tempDir();
    const policy = path.join(dir, 'policy.json');
    await fs.writeFile(policy, JSON.stringify({ tools: { allowedServers: ['none-of-these'], servers: [{ ...STDIO, name: 'schul-tools' }] } }));
    const env = { ATELIER_HOME: dir, ATELIER_POLICY_FILE: policy };
    expect((await runAtelier(['mcp', 'list'], { env })).stdout).toMatch(/schul-tools\s+local program .*from your school/);
    expect((await runAtelier(['mcp', 'tools', 'schul-tools'], { env })).stdout).toContain('add');
  });

  it('a policy file that cannot be used allows no tools', async () => {
    const managed = { state: 'invalid' as const, file: '/etc/atelier/policy.json', problem: 'it is not valid JSON' };
    const { hub } = await toolServers([STDIO], effectivePolicy(DEFAULT_SETTINGS, managed));
    await expect(hub.listTools('tools')).rejects.toMatchObject({ code: 'policy_denied' });
  });

  it('atelier lock --forbid-tools local forbids local programs until unlocked', async () => {
    const dir = await tempDir();
    const env = { ATELIER_HOME: dir, ATELIER_KEYCHAIN_SERVICE: `Atelier-test-${Math.random().toString(36).slice(2)}` };
    await writeSettings(dir, { mcp: { servers: [STDIO] } });
    expect((await runAtelier(['mcp', 'tools', 'tools'], { env })).stdout).toContain('add');
    expect((await runAtelier(['lock', '--forbid-tools', 'everything'], { env, stdin: 'Tafel-Kreide-2026\n' })).stderr).toContain('--forbid-tools takes local or all');
    expect((await runAtelier(['lock', '--forbid-tools', 'local'], { env, stdin: 'Tafel-Kreide-2026\n' })).code).toBe(0);
    expect((await runAtelier(['mcp', 'tools', 'tools'], { env })).stderr).toContain('The classroom lock does not allow programs on this computer as tools');
    expect((await runAtelier(['unlock'], { env, stdin: 'Tafel-Kreide-2026\n' })).code).toBe(0);
    expect((await runAtelier(['mcp', 'tools', 'tools'], { env })).code).toBe(0);
  });
});

describe('what the hostile pass found', () => {
  it('a server that takes the connection and never answers times out; a stop while the tools are listed ends the turn at once', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const port = (silent.address() as { port: number }).port;
    try {
      const server: McpServerConfig = { name: 'silent', transport: 'http', url: `http://127.0.0.1:${port}/mcp`, enabled: true };
      const hub = new ToolServers({ servers: () => [server], policy: () => UNRESTRICTED, env: process.env, secrets: null, connectTimeoutMs: 300 });
      open.push(hub);
      await expect(hub.listTools('silent')).rejects.toMatchObject({ message: expect.stringContaining('“silent”') as unknown });
      const slow = new ToolServers({ servers: () => [server], policy: () => UNRESTRICTED, env: process.env, secrets: null });
      open.push(slow);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const router = { stream: () => (async function* () {})() } as unknown as ChatRouter;
      const parts = [];
      for await (const part of runToolLoop({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] }, { router, servers: slow, serverNames: ['silent'], approve: async () => 'once', signal: controller.signal })) parts.push(part);
      expect(parts).toEqual([expect.objectContaining({ type: 'error', code: 'cancelled' })]);
    } finally {
      silent.close();
    }
  });

  it('the CLI refuses --env after --, and an address holding a password; variables are any text', async () => {
    const dir = await tempDir();
    const env = { ATELIER_HOME: dir };
    const afterDashes = await runAtelier(['mcp', 'add', 'sec', '--', process.execPath, 'server.mjs', '--env', 'WIKI_TOKEN=s3cr3t'], { env });
    expect(afterDashes).toMatchObject({ code: 2, stderr: expect.stringContaining('Put --env before --') as unknown });
    expect((await runAtelier(['mcp', 'add', 'cred', '--url', 'https://user:hunter2@mcp.example.org/mcp'], { env })).stderr).toContain('must not hold a password or token');
    expect(await fs.readFile(path.join(dir, 'settings.json'), 'utf8').catch(() => '')).not.toContain('s3cr3t');
    expect((await runAtelier(['mcp', 'add', 'vars', '--env', 'ROOT=/home/x/Mein Ordner', '--env', 'LOG=1', '--', ...STDIO.command ? [STDIO.command, ...STDIO.args] : []], { env })).code).toBe(0);
  });
});
