import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { StreamPart } from '../../../shared/chat';
import { AtelierError, type ErrorPayload } from '../../../shared/errors';
import type { Provenance } from '../../../shared/privacy';
import type { ChatRouter } from '../chat/router';
import { openAiError, openAiFinishReason, openAiUsage, parseCompletionRequest } from './openai-wire';
import type { ServeTokens } from './serve-tokens';

/** The port `atelier serve` and the app use unless told otherwise. */
export const DEFAULT_GATEWAY_PORT = 8765;

export interface GatewayModel {
  id: string;
  ownedBy: string;
}

export interface GatewayOptions {
  router: ChatRouter;
  tokens: ServeTokens;
  /** 0 picks a free port. */
  port: number;
  /** Browser origins allowed to call (CORS), exactly as a browser sends them (`http://localhost:8888`). */
  allowedOrigins?: () => readonly string[];
  /** The models to list on /v1/models: those the privacy tier allows, and the roles. */
  models: () => Promise<GatewayModel[]>;
  /** The model a role (`fast`, `advanced`, `extreme`) stands for now. */
  resolveRole?: (role: string) => Promise<string | null>;
  /** The largest request body, in bytes (images come as base64). */
  maxBodyBytes?: number;
  /** How many answers may run at once; more are refused with 429 and Retry-After. */
  maxConcurrent?: number;
}

export interface Gateway {
  port: number;
  /** The base URL clients use: `http://127.0.0.1:PORT/v1`. */
  baseUrl: string;
  /** The addresses it listens on (127.0.0.1, and ::1 where the system has IPv6). */
  addresses: string[];
  close(): Promise<void>;
}

const ROLES = new Set(['fast', 'advanced', 'extreme']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The local OpenAI-compatible endpoint: HTTP in, the router out. It listens on loopback only
 * (127.0.0.1 and ::1), answers only requests whose Host is a loopback name on its port (so a web
 * page cannot reach it by DNS rebinding) and whose browser Origin, if any, the user allowed, and
 * only with a client's token. Every answer goes through the same router as the app's: privacy
 * tier, school lists, budget, fallbacks, egress record (naming the client).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const maxBody = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const maxConcurrent = options.maxConcurrent ?? 8;
  let running = 0;
  let port = options.port;
  const sockets = new Set<Socket>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, { code: 'internal_error', message: 'Something went wrong in Atelier.', hint: error instanceof Error ? error.message.slice(0, 200) : undefined });
      else res.destroy();
    });
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // DNS rebinding: a page from any site may make the browser send requests here under its own
    // host name; only loopback names on this port are answered.
    if (!hostIsLoopback(req.headers.host, port)) {
      sendError(res, { code: 'forbidden_sender', message: 'This endpoint answers requests to 127.0.0.1, localhost or [::1] only.', hint: `Use http://127.0.0.1:${port}/v1 as the base URL.` });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const allowed = options.allowedOrigins?.() ?? [];
      if (!allowed.includes(origin)) {
        sendError(res, { code: 'forbidden_sender', message: `Web pages from ${printableOrigin(origin)} may not use this endpoint.`, hint: 'Allow the origin in Settings → Local endpoint (or atelier config set gateway.allowedOrigins) if it is yours.' });
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', 'X-Atelier-Provenance');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': 'authorization, content-type', 'Access-Control-Max-Age': '600' });
        res.end();
        return;
      }
    }
    const client = authorize(req.headers.authorization);
    if (client === null) {
      req.resume();
      sendError(res, { code: 'auth_invalid', message: 'A valid access token is needed: send it as "Authorization: Bearer atl_…".', hint: 'Make one with: atelier serve tokens add NAME (or Settings → Local endpoint).' }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    touch(client);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && path.startsWith('/v1/models/')) {
      req.resume();
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      const model = (await options.models()).find((candidate) => candidate.id === id);
      if (model) sendJson(res, 200, { id: model.id, object: 'model', created: 0, owned_by: model.ownedBy });
      else sendError(res, { code: 'model_not_found', message: `There is no model “${printableOrigin(id)}” here.`, hint: 'GET /v1/models lists the models this endpoint offers.' });
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      req.resume();
      const models = await options.models();
      sendJson(res, 200, { object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.ownedBy })) });
      return;
    }
    if (path === '/v1/chat/completions') {
      if (req.method !== 'POST') {
        req.resume();
        sendError(res, { code: 'invalid_request', message: 'Use POST for /v1/chat/completions.' }, { Allow: 'POST' }, 405);
        return;
      }
      await completions(req, res, client);
      return;
    }
    req.resume();
    sendError(res, { code: 'invalid_request', message: `There is no ${req.method ?? ''} ${printableOrigin(path)} here.`, hint: 'This endpoint serves GET /v1/models and POST /v1/chat/completions.' }, {}, 404);
  }

  /** Notes a client's use at most once a minute per process: a write per request would cost every answer. */
  const touched = new Map<string, number>();
  function touch(client: string): void {
    const now = Date.now();
    if (now - (touched.get(client) ?? 0) < 60_000) return;
    touched.set(client, now);
    options.tokens.touch(client);
  }

  function authorize(header: string | undefined): string | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match?.[1] ? options.tokens.verify(match[1]) : null;
  }

  async function completions(req: http.IncomingMessage, res: http.ServerResponse, client: string): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      sendError(res, { code: 'invalid_request', message: 'Send the request as JSON (Content-Type: application/json).' }, {}, 415);
      return;
    }
    let counted = false;
    const controller = new AbortController();
    // A client that goes away stops the answer: the router cancels the provider's request.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      // The body first, then a place among the answers running: a client that sends slowly holds none.
      const body = await readJson(req, maxBody);
      if (running >= maxConcurrent) {
        sendError(res, { code: 'rate_limited', message: `Atelier is answering ${maxConcurrent} requests already.`, hint: 'Wait a moment and try again.' }, { 'Retry-After': '1' });
        return;
      }
      running++;
      counted = true;
      const parsed = parseCompletionRequest(body);
      if (ROLES.has(parsed.request.model) && options.resolveRole) {
        const model = await options.resolveRole(parsed.request.model);
        if (model === null) throw new AtelierError('model_not_found', `No model is set for the role ${parsed.request.model}.`, 'Choose one in Settings → Models.');
        parsed.request.model = model;
      }
      await answer(res, parsed, client, controller.signal);
    } catch (error) {
      if (!(error instanceof AtelierError)) throw error;
      const status = (error as AtelierError & { status?: number }).status;
      // A body too large is not read on: the answer goes out, then the connection closes (its rest
      // would be taken for the next request).
      if (status === 413) res.on('finish', () => req.destroy());
      if (!res.headersSent) sendError(res, error.toPayload(), status === 413 ? { Connection: 'close' } : {}, status);
    } finally {
      if (counted) running--;
    }
  }

  async function answer(res: http.ServerResponse, parsed: ReturnType<typeof parseCompletionRequest>, client: string, signal: AbortSignal): Promise<void> {
    const id = `chatcmpl-${randomBytes(12).toString('base64url')}`;
    const created = Math.floor(Date.now() / 1000);
    const model = parsed.request.model;
    let provenance: Provenance | null = null;
    const notices: string[] = [];
    let text = '';
    let started = false;
    const chunk = (delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`;
    /** Sends the status and headers with the first words: until then a refusal still gets its own status. Returns the opening chunk to send with them. */
    const start = (): string => {
      if (started) return '';
      started = true;
      const headers: http.OutgoingHttpHeaders = provenance ? { 'X-Atelier-Provenance': headerJson(provenance) } : {};
      if (parsed.stream) {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
        return chunk({ role: 'assistant', content: '' }, null);
      }
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
      return '';
    };
    for await (const part of parsedStream(options.router, parsed, signal, client)) {
      if (res.destroyed) break;
      switch (part.type) {
        case 'provenance': {
          const { type: _type, ...rest } = part;
          provenance = rest;
          break;
        }
        case 'notice':
          notices.push(part.message);
          break;
        case 'text-delta': {
          // The headers, the opening chunk and the first words leave in one write (one packet).
          const opening = start();
          if (parsed.stream) res.write(opening + chunk({ content: part.text }, null));
          else text += part.text;
          break;
        }
        case 'finish': {
          const opening = start();
          if (parsed.stream) {
            res.write(opening + chunk({}, openAiFinishReason(part.reason)));
            if (parsed.includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: openAiUsage(part.usage) })}\n\n`);
            res.end('data: [DONE]\n\n');
          } else {
            sendJson(res, 200, {
              id,
              object: 'chat.completion',
              created,
              model,
              choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: openAiFinishReason(part.reason), logprobs: null }],
              usage: openAiUsage(part.usage),
              atelier: { provenance, costUsd: part.usage.costUsd ?? null, ...(notices.length > 0 && { notices }) },
            });
          }
          return;
        }
        case 'error': {
          const { type: _type, ...error } = part;
          if (!started) {
            sendError(res, error, error.retryAfterMs !== undefined ? { 'Retry-After': String(Math.ceil(error.retryAfterMs / 1000)) } : {});
          } else if (parsed.stream) {
            // After the first words the status is sent: the error goes in the stream, as OpenAI's does.
            res.write(`data: ${JSON.stringify(openAiError(error).body)}\n\n`);
            res.end();
          } else {
            sendError(res, error);
          }
          return;
        }
      }
    }
    if (!res.writableEnded) res.end();
  }

  const servers: http.Server[] = [];
  const addresses: string[] = [];
  const listen = (host: string) =>
    new Promise<http.Server>((resolve, reject) => {
      const server = http.createServer({ requestTimeout: 120_000, headersTimeout: 30_000 }, handler);
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  try {
    const first = await listen('127.0.0.1');
    servers.push(first);
    port = (first.address() as AddressInfo).port;
    addresses.push(`127.0.0.1:${port}`);
  } catch (error) {
    throw listenError(error, port);
  }
  try {
    servers.push(await listen('::1'));
    addresses.push(`[::1]:${port}`);
  } catch (error) {
    // No IPv6 loopback on this system: 127.0.0.1 serves alone. But another program on [::1] at
    // this port would get the tokens of clients that try ::1 first for "localhost": refused.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      throw listenError(error, port, '[::1]');
    }
  }
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    addresses,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

/** The router's stream for a parsed request, with the client named for the egress record. */
function parsedStream(router: ChatRouter, parsed: ReturnType<typeof parseCompletionRequest>, signal: AbortSignal, client: string): AsyncIterable<StreamPart> {
  return router.stream(parsed.request, signal, { client });
}

function hostIsLoopback(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (!match?.[1]) return false;
  const portPart = match[2] === undefined ? 80 : Number(match[2]);
  return LOOPBACK_HOSTS.has(match[1]) && portPart === port;
}

function printableOrigin(value: string): string {
  return value.replace(/[^\x20-\x7E]/g, '�').slice(0, 120);
}

/** A header value: JSON with everything outside printable ASCII escaped. */
function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7E]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, error: Pick<ErrorPayload, 'code' | 'message' | 'hint'>, headers: http.OutgoingHttpHeaders = {}, status?: number): void {
  const shaped = openAiError(error);
  sendJson(res, status ?? shaped.status, shaped.body, headers);
}

async function readJson(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge(maxBytes);
  }
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop reading; the 413 is sent, and the connection closed after it.
        req.off('data', onData);
        req.pause();
        reject(tooLarge(maxBytes));
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AtelierError('invalid_request', 'The request body is not valid JSON.', 'Send an OpenAI Chat Completions request as JSON.');
  }
}

function tooLarge(maxBytes: number): AtelierError {
  const error = new AtelierError('invalid_request', `The request is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`, 'Send fewer or smaller images.');
  return Object.assign(error, { status: 413 });
}

function listenError(error: unknown, port: number, where = ''): AtelierError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new AtelierError('invalid_request', `Port ${port} is in use already${where ? ` on ${where}` : ''} (another Atelier endpoint, or another program).`, 'Stop the other one, or choose another port: atelier serve --port N.');
  if (code === 'EACCES') return new AtelierError('invalid_request', `Atelier may not listen on port ${port}.`, 'Choose a port above 1023: atelier serve --port N.');
  return new AtelierError('internal_error', `The local endpoint could not start: ${(error as Error).message}.`, 'Try another port.');
}
