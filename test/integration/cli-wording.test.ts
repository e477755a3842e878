import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { anyProviderHome } from '../support/settings-file';

const useFakes = useProviderFakes();
const servers: net.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A server that takes the connection and drops it at once, as a crashing proxy does. */
async function brokenServer(): Promise<string> {
  const server = net.createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}`;
}

describe('the CLI says what happened, in the right words', () => {
  it('auth test on an endpoint without a key does not claim a key was accepted', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await anyProviderHome() };
    // An OpenAI-compatible server that asks for no key (a classroom vLLM).
    const open = http.createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'llama-3.1-8b', object: 'model', created: 0, owned_by: 'school' }] }));
    });
    servers.push(open as unknown as net.Server);
    await new Promise<void>((done) => open.listen(0, '127.0.0.1', done));
    await runAtelier(['endpoints', 'add', 'slow', `http://127.0.0.1:${(open.address() as net.AddressInfo).port}/v1`], { env });
    const result = await runAtelier(['auth', 'test', 'slow'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain('accepted the key');
    expect(result.stdout).toContain('slow answered without a key and lists 1 models');
    expect(result.stdout).toContain('atelier auth set endpoint:slow');

    // One that asks for a key, when none is set: said as that, not as a wrong key.
    await runAtelier(['endpoints', 'add', 'keyed', `${useFakes().school.url}/v1`], { env });
    const keyed = await runAtelier(['auth', 'test', 'keyed'], { env });
    expect(keyed.code).toBe(1);
    expect(keyed.stdout).toContain('Failed: keyed needs a key, and none is set.');
    expect(keyed.stdout).toContain('Hint: Save it in the keychain: atelier auth set endpoint:keyed');
  });

  it('auth test on an endpoint that is down blames the connection, not the key, and no Ollama port', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await anyProviderHome() };
    for (const [prefix, url] of [['school', await closedPort()], ['blocked', 'http://127.0.0.1:9']] as const) {
      await runAtelier(['endpoints', 'add', prefix, `${url}/v1`], { env });
      const result = await runAtelier(['auth', 'test', prefix], { env });
      expect(result.code, prefix).toBe(1);
      expect(result.stdout, prefix).toContain(`Failed: ${prefix} did not answer.`);
      expect(result.stdout, prefix).not.toMatch(/key|Ollama|11434/i);
    }
  });

  it('auth test with a name that is no provider says it once, and exits 2', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await anyProviderHome() };
    const result = await runAtelier(['auth', 'test', 'nosuch'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr.match(/is not a provider Atelier knows/g)).toHaveLength(1);
    expect(result.stderr).toContain('Hint: Test one of: local, bedrock');
  });

  it('ollama list against a server that drops the connection does not speak of kept text', async () => {
    const env = { ...useFakes().env, OLLAMA_HOST: await brokenServer(), ATELIER_HOME: await anyProviderHome() };
    const result = await runAtelier(['ollama', 'list'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('text received so far');
    expect(result.stderr).toMatch(/Hint: /);
  });

  it('doctor does not call Bedrock configured with an AWS profile that does not exist, and notes a missing policy file', async () => {
    const dir = await anyProviderHome();
    await fs.writeFile(path.join(dir, 'aws-config'), '[profile school]\nregion = eu-central-1\n');
    const env = { ...useFakes().env, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: 'nosuch', AWS_CONFIG_FILE: path.join(dir, 'aws-config'), ATELIER_HOME: dir, ATELIER_POLICY_FILE: path.join(dir, 'missing.json') };
    const report = JSON.parse((await runAtelier(['doctor', '--json'], { env })).stdout) as { providers: { provider: string; configured: boolean; detail: string }[]; notes: string[] };
    expect(report.providers.find((entry) => entry.provider === 'bedrock')).toMatchObject({ configured: false, detail: expect.stringContaining('the AWS profile “nosuch” is in neither') as unknown });
    expect(report.notes).toContainEqual(expect.stringContaining('ATELIER_POLICY_FILE names'));
    const school = JSON.parse((await runAtelier(['doctor', '--json'], { env: { ...env, AWS_PROFILE: 'school' } })).stdout) as typeof report;
    expect(school.providers.find((entry) => entry.provider === 'bedrock')).toMatchObject({ configured: true });
  });

  it('a connection that breaks before any text came does not promise kept text', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await anyProviderHome() };
    await runAtelier(['endpoints', 'add', 'broken', `${await brokenServer()}/v1`], { env });
    const result = await runAtelier(['chat', '-m', 'broken/some-model', 'Hallo'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Hint: /);
    expect(result.stderr).not.toContain('text received so far');
  });
});
