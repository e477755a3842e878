import { AtelierError } from '../../../shared/errors';
import type { McpServerConfig, McpServerEntry, ToolInfo } from '../../../shared/tools';
import { recordBeforeSending, type EgressRecorder } from '../privacy/egress-log';
import { policyDenial, tierAllows, type PrivacyPolicy } from '../privacy/policy';
import { toolServerRoute } from '../privacy/route';
import { matchesPattern } from '../privacy/policy-file';
import type { SecretStore } from '../secrets/secret-store';
import { McpConnection, type ToolCallOutcome } from './mcp-connection';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The tool servers in force: the school's (its policy file's `tools.servers`, always enabled),
 * then the user's own whose names the school's do not take.
 */
export function toolServersInForce(own: readonly McpServerConfig[], policy: PrivacyPolicy): McpServerConfig[] {
  const school = policy.tools?.servers ?? [];
  return [...school, ...own.filter((server) => !school.some((shipped) => shipped.name === server.name))];
}

/** The servers in force as listed (the app, `atelier mcp list`): each with where it runs, the school's marked. */
export function toolServerEntries(own: readonly McpServerConfig[], policy: PrivacyPolicy): McpServerEntry[] {
  const school = new Set((policy.tools?.servers ?? []).map((server) => server.name));
  return toolServersInForce(own, policy).map((server) => ({ ...server, routeClass: toolServerRoute(server, policy).routeClass, ...(school.has(server.name) && { fromSchool: true }) }));
}

/** The keychain entry of a local server's environment variable. */
export function mcpEnvSecretName(server: string, variable: string): string {
  return `mcp-env:${server}:${variable}`;
}

export interface ToolServersOptions {
  servers: () => readonly McpServerConfig[];
  policy: () => PrivacyPolicy;
  env: Env;
  secrets: SecretStore | null;
  onEgress?: EgressRecorder;
  /** What the classroom lock forbids of tool servers while it is on. */
  lockForbids?: () => 'local' | 'all' | null;
  /** How long connecting and listing may take (a minute unless given; the tests shorten it). */
  connectTimeoutMs?: number;
}

/**
 * The tool servers in force, each connected when first used and kept: a remote one only where
 * the privacy tier allows its route (so under `dsgvo_local` a server elsewhere is never
 * contacted), every call recorded in the egress record like any request that may leave.
 */
export class ToolServers {
  private readonly connections = new Map<string, { key: string; connection: McpConnection }>();

  constructor(private readonly options: ToolServersOptions) {}

  server(name: string): McpServerConfig {
    const found = this.options.servers().find((server) => server.name === name);
    if (!found) throw new AtelierError('invalid_request', `There is no tool server “${name}”.`, 'See them with: atelier mcp list');
    return found;
  }

  /** Refuses a server the tier, the school or the classroom lock does not allow, before anything is started or sent. */
  private allowed(server: McpServerConfig, tool = '') {
    const policy = this.options.policy();
    const route = toolServerRoute(server, policy, tool);
    const refusal = this.ruleRefusal(server, tool, policy);
    if (refusal) {
      this.options.onEgress?.({ purpose: 'tool-call', tier: policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: 'refused', errorCode: 'policy_denied' });
      throw refusal;
    }
    if (!tierAllows(policy.tier, route.routeClass)) {
      this.options.onEgress?.({ purpose: 'tool-call', tier: policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: 'refused', errorCode: 'policy_denied' });
      const denial = policyDenial(route, policy);
      throw new AtelierError('policy_denied', `The tool server “${server.name}” is at ${route.host}: ${denial.message}`, 'Use a tool server on this computer, or change the privacy setting in Settings → Privacy.');
    }
    return { policy, route };
  }

  /** Why the school's rules or the classroom lock forbid this server (or tool), or null. */
  private ruleRefusal(server: McpServerConfig, tool: string, policy: PrivacyPolicy): AtelierError | null {
    const lock = this.options.lockForbids?.() ?? null;
    if (lock === 'all' || (lock === 'local' && server.transport === 'stdio')) {
      return new AtelierError('settings_locked', `The classroom lock does not allow ${lock === 'all' ? 'tools' : 'programs on this computer as tools'} (“${server.name}”).`, 'Ask your teacher.');
    }
    const rules = policy.tools;
    if (!rules) return null;
    const school = (what: string) => new AtelierError('policy_denied', `Your school does not allow ${what}.`, 'Ask your school’s IT if you need it.');
    if (rules.allowed === false) return school('tools');
    if (rules.localPrograms === false && server.transport === 'stdio') return school(`programs on this computer as tools (“${server.name}”)`);
    if (rules.allowedServers && !rules.allowedServers.includes(server.name) && !rules.servers?.some((shipped) => shipped.name === server.name)) return school(`the tool server “${server.name}”`);
    if (tool !== '' && rules.allowedTools && !rules.allowedTools.some((pattern) => matchesPattern(pattern, `${server.name}/${tool}`))) return school(`the tool ${server.name}/${tool}`);
    return null;
  }

  async listTools(name: string): Promise<ToolInfo[]> {
    const server = this.server(name);
    const { policy, route } = this.allowed(server);
    const complete = server.transport === 'http' && route.routeClass !== 'local' ? recordBeforeSending(this.options.onEgress, { purpose: 'connection-test', tier: policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: 'sent', errorCode: null }) : null;
    try {
      // Only the tools the school's list allows are shown (and so offered to a model).
      const patterns = policy.tools?.allowedTools;
      const tools = (await (await this.connection(server)).listTools()).filter((tool) => !patterns || patterns.some((pattern) => matchesPattern(pattern, `${server.name}/${tool.name}`)));
      complete?.({ outcome: 'completed', errorCode: null, inputTokens: null, outputTokens: null });
      return tools;
    } catch (error) {
      complete?.({ outcome: 'failed', errorCode: error instanceof AtelierError ? error.code : 'provider_error', inputTokens: null, outputTokens: null });
      throw error;
    }
  }

  /** Calls a tool: one egress entry, written before the call, completed after. */
  async callTool(name: string, tool: string, args: Record<string, unknown>, options: Parameters<McpConnection['callTool']>[2] = {}): Promise<ToolCallOutcome> {
    const server = this.server(name);
    const { policy, route } = this.allowed(server, tool);
    const complete = recordBeforeSending(this.options.onEgress, { purpose: 'tool-call', tier: policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: 'sent', errorCode: null });
    try {
      const outcome = await (await this.connection(server)).callTool(tool, args, options);
      complete({ outcome: outcome.isError ? 'failed' : 'completed', errorCode: outcome.isError ? 'provider_error' : null, inputTokens: null, outputTokens: null });
      return outcome;
    } catch (error) {
      const code = error instanceof AtelierError ? error.code : 'provider_error';
      complete({ outcome: code === 'cancelled' ? 'cancelled' : 'failed', errorCode: code, inputTokens: null, outputTokens: null });
      throw error;
    }
  }

  /** Stops every local server and closes every connection (when Atelier quits). */
  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map(({ connection }) => connection.close()));
  }

  /** The process id of a running local server (for tests and the status). */
  pid(name: string): number | null {
    return this.connections.get(name)?.connection.pid ?? null;
  }

  /** The server's connection, made anew when its configuration changed. */
  private async connection(server: McpServerConfig): Promise<McpConnection> {
    const key = JSON.stringify(server);
    const kept = this.connections.get(server.name);
    if (kept?.key === key) return kept.connection;
    await kept?.connection.close();
    const secretEnv: Record<string, string> = {};
    if (server.transport === 'stdio') {
      for (const variable of server.env) {
        const value = await this.options.secrets?.get(mcpEnvSecretName(server.name, variable)).catch(() => null);
        if (value) secretEnv[variable] = value;
      }
    }
    const connection = new McpConnection(server, { env: this.options.env, secretEnv, ...(this.options.connectTimeoutMs !== undefined && { connectTimeoutMs: this.options.connectTimeoutMs }) });
    this.connections.set(server.name, { key, connection });
    return connection;
  }
}
