import http from 'node:http';
import http2 from 'node:http2';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ANSWER, sleep, type FakeToolCall, type Scenario } from './scenario';

export type FakeRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type FakeResponse = http.ServerResponse | http2.Http2ServerResponse;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** `1.1` or `2.0`. */
  httpVersion: string;
}

type Handler = (request: FakeRequest, response: FakeResponse, body: string) => void | Promise<void>;

/**
 * A loopback server for a provider fake. It records every request, tracks responses the client
 * closed before they were complete (an abort, seen from the server), and serves HTTP/1.1 and, if
 * asked, HTTP/2 cleartext (prior knowledge, as the AWS SDK speaks it) on a second port.
 */
export class LoopbackServer {
  readonly requests: RecordedRequest[] = [];
  /** Responses the client hung up on before the server ended them. */
  closedEarly = 0;
  private scenarios: Scenario[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly sessions = new Set<http2.Http2Session>();
  private closeWaiters: (() => void)[] = [];
  private readonly servers: net.Server[] = [];
  /** The address to use: HTTP/2 cleartext when started with `http2`, else HTTP/1.1. */
  url = '';
  /** The same fake over HTTP/1.1. */
  http1Url = '';

  constructor(private readonly handler: Handler) {}

  async start(options: { http2?: boolean } = {}): Promise<this> {
    const onRequest = (request: FakeRequest, response: FakeResponse) => void this.receive(request, response);
    const h1 = http.createServer(onRequest);
    this.http1Url = await this.listen(h1);
    this.url = this.http1Url;
    if (options.http2) {
      // HTTP/2 cleartext with prior knowledge, as the AWS SDK's NodeHttp2Handler speaks it. It needs a
      // port of its own: an HTTP/2 session reads the socket natively, so the preface cannot be sniffed.
      const h2 = http2.createServer(onRequest);
      h2.on('session', (session) => {
        this.sessions.add(session);
        session.on('close', () => this.sessions.delete(session));
      });
      this.url = await this.listen(h2);
    }
    return this;
  }

  private async listen(server: net.Server): Promise<string> {
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Sets what the next chat requests get; the last scenario given repeats. */
  respondWith(...scenarios: Scenario[]): void {
    this.scenarios = scenarios;
  }

  /** The scenario for the request being served. */
  nextScenario(): Scenario {
    return (this.scenarios.length > 1 ? this.scenarios.shift() : this.scenarios[0]) ?? DEFAULT_ANSWER;
  }

  /** Resolves when a response is next closed early by the client. */
  waitForClientClose(): Promise<void> {
    return new Promise((done) => this.closeWaiters.push(done));
  }

  lastRequest(): RecordedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error('The fake has received no request.');
    return last;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
  }

  private async receive(request: FakeRequest, response: FakeResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: { ...request.headers },
      body,
      httpVersion: request.httpVersion,
    });
    response.on('close', () => {
      // writableEnded: the fake never called end(). (writableFinished turns true after an HTTP/2 reset.)
      if (!response.writableEnded) {
        this.closedEarly++;
        for (const waiter of this.closeWaiters.splice(0)) waiter();
      }
    });
    try {
      await this.handler(request, response, body);
    } catch {
      // The client went away while the fake was writing; that is what abort tests want.
    }
  }
}

/** Writes and waits, unless the client has gone: then stops quietly. */
export function write(response: FakeResponse, data: string | Uint8Array): boolean {
  if (response.destroyed || response.writableEnded) return false;
  (response as http.ServerResponse).write(data);
  return true;
}

/**
 * Ends the connection abruptly, as a crashing server or a dropped network would, once what was
 * written so far has reached the client.
 */
export async function dropConnection(response: FakeResponse): Promise<void> {
  await new Promise<void>((flushed) => (response as http.ServerResponse).write('', () => flushed()));
  await new Promise<void>((later) => setTimeout(later, 10));
  if ('stream' in response && response.stream) {
    response.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  } else {
    (response as http.ServerResponse).socket?.destroy();
  }
}

/** Drops the connection before any byte of the response: a reset before the first byte. */
export function resetConnection(response: FakeResponse): void {
  if ('stream' in response && response.stream) {
    response.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  } else {
    (response as http.ServerResponse).socket?.destroy();
  }
}

export function sendJson(response: FakeResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  (response as http.ServerResponse).writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** How a provider puts an answer on the wire; `streamScenario` does the rest. */
export interface WireFormat {
  /** The bytes for one chunk of answer text. */
  text(text: string): string | Uint8Array;
  /** What ends a complete answer (stop reason, usage, end markers). */
  finish(finishReason: string | undefined): (string | Uint8Array)[];
  /** An error inside the 200 stream, in the provider's form. */
  streamError(error: unknown): string | Uint8Array;
  /** A frame that does not parse in the provider's format. */
  malformed(): string | Uint8Array;
  /** Tool calls after the text, in the provider's form (fakes that speak tool calling). */
  toolCalls?(calls: FakeToolCall[]): (string | Uint8Array)[];
}

/**
 * Plays a streaming scenario after the provider's own preamble was written: a slow first token,
 * the text chunks, then the scenario's ending (a proper finish, a dropped connection, an error
 * inside the stream, or a stall until the client hangs up).
 */
export async function streamScenario(
  response: FakeResponse,
  scenario: Exclude<Scenario, { kind: 'http-error' | 'reset' }>,
  format: WireFormat,
): Promise<void> {
  if (scenario.kind === 'answer' && scenario.firstTokenDelayMs) await sleep(scenario.firstTokenDelayMs);
  const paced = scenario.kind === 'answer' && scenario.chunksPerSecond ? { start: performance.now(), intervalMs: 1000 / scenario.chunksPerSecond } : null;
  for (const [index, text] of scenario.chunks.entries()) {
    if (paced) await sleep(Math.max(0, paced.start + index * paced.intervalMs - performance.now()));
    if (!write(response, format.text(text))) return;
    if (scenario.kind === 'answer' && scenario.chunkDelayMs) await sleep(scenario.chunkDelayMs);
  }
  switch (scenario.kind) {
    case 'die-midway':
      await dropConnection(response);
      return;
    case 'stall':
      await new Promise<void>((done) => response.on('close', done));
      return;
    case 'stream-error':
      write(response, format.streamError(scenario.error));
      response.end();
      return;
    case 'malformed':
      write(response, format.malformed());
      response.end();
      return;
    case 'answer':
      if (scenario.toolCalls) {
        if (!format.toolCalls) throw new Error('This fake does not speak tool calls yet.');
        for (const piece of format.toolCalls(scenario.toolCalls)) write(response, piece);
      }
      for (const piece of format.finish(scenario.finish)) write(response, piece);
      response.end();
      return;
  }
}
