import { Client, SSEClientTransport, StreamableHTTPClientTransport, type CallToolResult, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { AtelierError, type ErrorPayload } from '../../../shared/errors';
import type { McpServerConfig, ToolInfo } from '../../../shared/tools';
import { resolveCommand, serverPath } from './command-path';

type Env = Readonly<Record<string, string | undefined>>;

/** How long connecting may take (a server started with npx may first download itself). */
const CONNECT_TIMEOUT_MS = 60_000;
/** How long a tool call may take unless it reports progress. */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
/** At most this many tools are listed from one server (pages followed until then). */
const MAX_TOOLS = 500;

export interface ToolCallOutcome {
  /** The tool's text (its text parts joined; other parts named). */
  text: string;
  /** The tool said it failed (`isError`): its text says why. */
  isError: boolean;
}

export interface McpConnectionOptions {
  /** Atelier's environment, for PATH and what a local server inherits. */
  env: Env;
  /** Values for the server's `env` names (from the keychain). */
  secretEnv?: Readonly<Record<string, string>>;
  /** A local server's error output, line by line (for the status and a bug report). */
  onStderr?: (line: string) => void;
  /** How long connecting and listing may take (a minute unless given). */
  connectTimeoutMs?: number;
}

/**
 * One MCP server, through the official TypeScript SDK: a local program over stdio, or an address
 * over Streamable HTTP with SSE as the fallback for older servers. Connects on first use, lists
 * every tool (following pages), calls one with a timeout, progress and cancelling, and stops a
 * local server's process when closed.
 */
export class McpConnection {
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private transport: Transport | null = null;
  /** A local server's last lines of error output: they say why it would not start. */
  private readonly stderrTail: string[] = [];

  constructor(
    readonly config: McpServerConfig,
    private readonly options: McpConnectionOptions,
  ) {}

  /** The process id of a local server while it runs (for tests and the status). */
  get pid(): number | null {
    return this.transport instanceof StdioClientTransport ? this.transport.pid : null;
  }

  async connect(): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= this.open().then(
      (client) => {
        this.client = client;
        // A server that goes away is connected again at the next use.
        client.onclose = () => {
          if (this.client === client) this.client = null;
          this.connecting = null;
        };
        return client;
      },
      (error: unknown) => {
        this.connecting = null;
        throw error;
      },
    );
    return this.connecting;
  }

  async listTools(): Promise<ToolInfo[]> {
    const client = await this.connect();
    const tools: ToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await withTimeout(client.listTools(cursor === undefined ? undefined : { cursor }), this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS).catch((error: unknown) => {
        throw this.failure(error, 'list its tools');
      });
      for (const tool of page.tools) {
        tools.push({ server: this.config.name, name: tool.name, title: tool.title ?? tool.annotations?.title ?? null, description: tool.description ?? '', inputSchema: tool.inputSchema as Record<string, unknown> });
      }
      cursor = page.nextCursor;
    } while (cursor && tools.length < MAX_TOOLS);
    return tools;
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (progress: { progress: number; total?: number; message?: string }) => void } = {},
  ): Promise<ToolCallOutcome> {
    const client = await this.connect();
    let result: CallToolResult;
    try {
      result = (await client.callTool(
        { name, arguments: args },
        {
          timeout: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
          resetTimeoutOnProgress: true,
          ...(options.signal && { signal: options.signal }),
          ...(options.onProgress && { onprogress: options.onProgress }),
        },
      )) as CallToolResult;
    } catch (error) {
      if (options.signal?.aborted) throw new AtelierError('cancelled', `The tool ${name} was stopped.`);
      throw this.failure(error, `run ${name}`);
    }
    return { text: textOfResult(result), isError: result.isError === true };
  }

  /** Ends the connection; a local server's process is stopped (and killed if it does not go). */
  async close(): Promise<void> {
    // A connection still being made is not waited for: its transport is closed, which ends it.
    const client = this.client;
    this.client = null;
    this.connecting = null;
    await client?.close().catch(() => undefined);
    await this.transport?.close().catch(() => undefined);
    this.transport = null;
  }

  private async open(): Promise<Client> {
    const client = new Client({ name: 'Atelier', version: '1.0.0' });
    const connect = async (transport: Transport) => {
      this.transport = transport;
      // Our own limit too: a server that takes the connection and never answers must not hold anyone.
      const limit = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
      await withTimeout(client.connect(transport, { timeout: limit }), limit, () => void transport.close().catch(() => undefined));
    };
    const config = this.config;
    if (config.transport === 'stdio') {
      const searchPath = await serverPath(this.options.env);
      const command = await resolveCommand(config.command, searchPath, this.options.env);
      const transport = new StdioClientTransport({
        command,
        args: config.args,
        // Only the usual variables (HOME, USER, …) and the PATH a terminal would have, plus the
        // server's own: never Atelier's provider keys.
        env: { ...getDefaultEnvironment(), PATH: searchPath, ...this.options.secretEnv },
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          this.stderrTail.push(line.slice(0, 300));
          if (this.stderrTail.length > 3) this.stderrTail.shift();
          this.options.onStderr?.(line);
        }
      });
      try {
        await connect(transport);
      } catch (error) {
        await transport.close().catch(() => undefined);
        throw this.failure(error, 'start');
      }
      return client;
    }
    const url = new URL(config.url);
    try {
      await connect(new StreamableHTTPClientTransport(url));
    } catch (error) {
      // Servers from before Streamable HTTP (2024-11-05) speak SSE: tried once as the fallback.
      try {
        const legacy = new Client({ name: 'Atelier', version: '1.0.0' });
        const transport = new SSEClientTransport(url);
        this.transport = transport;
        const limit = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
        await withTimeout(legacy.connect(transport, { timeout: limit }), limit, () => void transport.close().catch(() => undefined));
        return legacy;
      } catch {
        throw this.failure(error, 'connect');
      }
    }
    return client;
  }

  private failure(error: unknown, doing: string): AtelierError {
    if (error instanceof AtelierError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const timedOut = /timed? ?out/i.test(message);
    const payload: Pick<ErrorPayload, 'code' | 'message' | 'hint'> = timedOut
      ? { code: 'timeout', message: `The tool server “${this.config.name}” did not ${doing} in time.`, hint: 'Try again; a server that downloads itself first (npx) may need a minute the first time.' }
      : /ECONNREFUSED|ENOTFOUND|fetch failed|EAI_AGAIN/i.test(message)
        ? { code: 'provider_unreachable', message: `The tool server “${this.config.name}” cannot be reached.`, hint: 'Check its address, and that it is running.' }
        : {
            code: 'provider_error',
            message: `The tool server “${this.config.name}” could not ${doing}: ${message.split('\n')[0]?.slice(0, 300) ?? ''}${this.stderrTail.length > 0 ? ` (it said: ${this.stderrTail.join(' / ')})` : ''}`,
            hint: 'Check the server’s command and arguments (atelier mcp list), or its address.',
          };
    return new AtelierError(payload.code, payload.message, payload.hint, { cause: error });
  }
}

/** Rejects with a timeout error when `promise` takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`timed out after ${Math.round(ms / 1000)} s`));
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A tool result's content as text: text parts joined; images, audio and resources named. */
export function textOfResult(result: CallToolResult): string {
  const parts = (result.content ?? []).map((part) => {
    switch (part.type) {
      case 'text':
        return part.text;
      case 'image':
        return `[image, ${part.mimeType}]`;
      case 'audio':
        return `[audio, ${part.mimeType}]`;
      case 'resource_link':
        return `[resource: ${part.uri}]`;
      case 'resource':
        return 'text' in part.resource && typeof part.resource.text === 'string' ? part.resource.text : `[resource: ${part.resource.uri}]`;
      default:
        return '';
    }
  });
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return parts.filter(Boolean).join('\n\n');
}
