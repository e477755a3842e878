import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAtelier } from '../support/run-cli';
import { tempDir } from '../support/temp-dir';

/** What the loopback server answers: a status, a content type and a body, for every request. */
interface Answer {
  status: number;
  type: string;
  body: string;
}

const servers: http.Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A server where Ollama is expected (OLLAMA_HOST), answering every request with `answer`. */
async function ollamaAddress(answer: Answer): Promise<string> {
  const server = http.createServer((request, response) => {
    request.resume();
    response.writeHead(answer.status, { 'content-type': answer.type });
    response.end(answer.body);
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function atelier(host: string, argv: string[]) {
  return runAtelier(argv, { env: { ATELIER_HOME: await tempDir(), OLLAMA_HOST: host, PATH: process.env.PATH } });
}

describe('errors from an Ollama address, in words that fit', () => {
  it.each([
    ['a JSON error whose "error" is an object', { status: 500, type: 'application/json', body: JSON.stringify({ error: { message: 'upstream exploded', type: 'server_error' } }) }, 'upstream exploded'],
    ['a JSON error object without a message', { status: 500, type: 'application/json', body: JSON.stringify({ error: { code: 17, type: 'server_error' } }) }, '{"code":17,"type":"server_error"}'],
    ['an error object inside a 200 stream', { status: 200, type: 'application/x-ndjson', body: `${JSON.stringify({ error: { message: 'the model crashed' } })}\n` }, 'the model crashed'],
  ])('%s is quoted as its text, never “[object Object]”', async (_what, answer, said) => {
    const host = await ollamaAddress(answer);
    const result = await atelier(host, ['chat', '-m', 'local/llama3.2:3b', 'Hallo']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Ollama said: “${said}”`);
    expect(result.stderr).not.toContain('[object Object]');
  });

  it.each([
    [401, 'application/json', JSON.stringify({ error: 'unauthorized' })],
    [403, 'text/html', '<html><body>Forbidden by proxy</body></html>'],
    [401, 'application/json', JSON.stringify({ error: { message: 'login required' } })],
  ])('HTTP %i (%s) says the server refused access, never that it did not accept an API key', async (status, type, body) => {
    const host = await ollamaAddress({ status, type, body });
    const log = vi.spyOn(console, 'log');
    const chat = await atelier(host, ['chat', '-m', 'local/llama3.2:3b', 'Hallo']);
    expect(chat.code).toBe(1);
    expect(chat.stderr).toContain(`Error: The server at ${host} refused access (HTTP ${status}).`);
    expect(chat.stderr).toContain('Hint: Ollama itself asks for no key; a proxy in front of it may want credentials');
    expect(chat.stderr).not.toMatch(/API key|\[object Object\]/);

    const list = await atelier(host, ['ollama', 'list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain(`The server at ${host} refused access (HTTP ${status}).`);
    expect(list.stderr).not.toMatch(/API key|not installed/);

    const models = await atelier(host, ['models']);
    expect(models.stdout + models.stderr).toContain(`The server at ${host} refused access`);
    expect(models.stdout + models.stderr).not.toContain('API key');

    const test = await atelier(host, ['auth', 'test', 'local']);
    expect(test.code).toBe(1);
    expect(test.stdout).toContain(`The server at ${host} refused access.`);
    expect(test.stdout).not.toMatch(/API key|did not answer/);
    // ollama-js prints "Getting text from response" for a body that is not JSON: never here.
    expect(log).not.toHaveBeenCalled();
  });
});
