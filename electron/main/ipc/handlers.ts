import type { AppInfo } from '../../../shared/app-info';
import type { EventName, EventPayload } from '../../../shared/ipc/contract';
import { loadProviderConfig } from '../../core/config/load-provider-config';
import { adviseLocalModels } from '../../core/hardware/hardware-matrix';
import type { ProfileFixes } from '../../core/models/bedrock-profiles';
import type { EgressLog } from '../../core/privacy/egress-log';
import type { ClassroomLock } from '../../core/privacy/classroom-lock';
import type { PolicyFileReader } from '../../core/privacy/policy-file';
import { guardCredentials } from '../../core/privacy/settings-guard';
import { pinsFrom } from '../../core/privacy/lock-pins';
import type { PrivacyPolicy } from '../../core/privacy/policy';
import { testConnection } from '../../core/providers/test-connection';
import { importAwsAccessKeyCsv } from '../../core/secrets/aws-csv';
import { credentialsOverview, listAwsProfiles } from '../../core/secrets/credentials-overview';
import type { HardwareService } from '../../core/hardware/hardware-service';
import type { OllamaService } from '../../core/ollama/ollama-service';
import type { SecretStore } from '../../core/secrets/secret-store';
import type { SettingsStore } from '../../core/settings/settings-store';
import type { ChatStreams } from './chat-streams';
import type { ConversationChat } from '../../core/conversations/conversation-chat';
import { exportConversation } from '../../core/conversations/conversation-export';
import type { ConversationStore } from '../../core/conversations/conversation-store';
import { modelCatalogue } from '../../core/models/model-catalogue';
import type { OllamaPulls } from './ollama-pulls';
import type { HandlerTable } from './dispatch';
import type { UsageDetails } from '../../../shared/usage';
import type { Ledgers } from '../../core/usage/ledgers';
import type { RouteHealthStore } from '../../core/reliability/route-health';
import type { AssistantLibrary } from '../../core/assistants/assistant-library';
import type { GatewayService } from '../../core/gateway/gateway-service';
import { schoolServerStatus } from '../../core/school/school-status';
import { mcpEnvSecretName, toolServerEntries as listToolServers, type ToolServers } from '../../core/tools/tool-servers';
import type { McpServerConfig } from '../../../shared/tools';
import type { ToolApprovals } from './tool-approvals';
import { AtelierError } from '../../../shared/errors';
import type { ServeTokens } from '../../core/gateway/serve-tokens';
import { configuredProviders, noteListings, reliabilityStatus } from '../../core/reliability/status';
import { listModels } from '../../core/models/list-models';
import { budgetLockedBy, budgetStatus, defaultSince, parseSince, usageCsv } from '../../core/usage/usage-report';

/** What the handlers need from the running app; the e2e harness builds the same services. */
export interface MainServices {
  appInfo: AppInfo;
  settings: SettingsStore;
  secrets: SecretStore;
  /** The environment provider keys and addresses may come from. */
  env: Readonly<Record<string, string | undefined>>;
  profileFixes: ProfileFixes;
  egress: EgressLog;
  policyFile: PolicyFileReader;
  /** The privacy policy in force now: the school's policy file over the user's settings. */
  policy: () => PrivacyPolicy;
  lock: ClassroomLock;
  chat: ChatStreams;
  conversations: ConversationStore;
  conversationChat: ConversationChat;
  hardware: HardwareService;
  ollama: OllamaService;
  pulls: OllamaPulls;
  /** What answers cost (from the egress record) and the budget's ledger, in the app's database. */
  usage: { report: (since: string) => UsageDetails; ledgers: Ledgers };
  /** How routes have fared, for the status strip. */
  health: RouteHealthStore;
  /** The school's, the built-in and the user's assistants. */
  assistants: AssistantLibrary;
  /** The tool servers (MCP) in force, connected when first used; stopped when the app quits. */
  toolServers: ToolServers;
  /** Tool calls waiting for the user's decision. */
  toolApprovals: ToolApprovals;
  /** The local OpenAI-compatible endpoint, on or off as the settings say, and its clients' tokens. */
  gateway: GatewayService;
  serveTokens: ServeTokens;
  /**
   * Ends what is running and lets go of files, when the app quits: streams are stopped and
   * awaited (each answer saved as it stands), downloads stopped, the database closed (its
   * journal checkpointed into the file).
   */
  close: () => Promise<void>;
}

/** How long a deleted conversation can be restored. */
const UNDO_SECONDS = 10;

/** Pushes an event to every window of the app. */
export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** The main process's handler table: every channel of the contract, each a thin call into core. */
export function createHandlers(services: MainServices): HandlerTable {
  return {
    'app:get-info': () => services.appInfo,
    'settings:get': () => services.settings.get(),
    // The store checks the school's policy and the classroom lock under the data folder's lock.
    'settings:update': (patch) => services.settings.update(patch),
    'chat:start-stream': (request) => services.chat.start(request),
    'chat:abort': ({ streamId }) => services.chat.abort(streamId),
    'chat:send': async (input) => {
      const prepared = await services.conversationChat.send(input);
      const streamId = services.chat.run((signal) => services.conversationChat.stream(prepared, signal));
      return { streamId, conversation: prepared.conversation, userMessage: prepared.userMessage, answer: prepared.answer };
    },
    'chat:regenerate': async (input) => {
      const prepared = await services.conversationChat.regenerate(input);
      const streamId = services.chat.run((signal) => services.conversationChat.stream(prepared, signal));
      return { streamId, conversation: prepared.conversation, answer: prepared.answer };
    },
    'conversations:list': () => ({ conversations: services.conversations.listConversations() }),
    'conversations:get': ({ id }) => ({ conversation: services.conversations.getConversation(id), messages: services.conversations.messages(id) }),
    'conversations:get-message': ({ id }) => {
      const message = services.conversations.getMessage(id);
      return { conversation: services.conversations.getConversation(message.conversationId), message };
    },
    'conversations:rename': ({ id, title }) => services.conversations.renameConversation(id, title),
    'conversations:delete': ({ id }) => {
      services.conversations.deleteConversation(id);
      // Gone for good once the undo has run out (and, at the latest, when Atelier next starts).
      setTimeout(() => services.conversations.purgeDeleted(new Date(Date.now() - UNDO_SECONDS * 1000).toISOString()), (UNDO_SECONDS + 1) * 1000).unref();
      return { undoSeconds: UNDO_SECONDS };
    },
    'conversations:restore': ({ id }) => services.conversations.restoreConversation(id),
    'conversations:search': ({ query }) => ({ hits: services.conversations.search(query) }),
    'conversations:export': ({ id, format }) => exportConversation(services.conversations.getConversation(id), services.conversations.messages(id), format),
    'models:get-catalogue': async () => {
      const settings = services.settings.get().settings;
      const report = await services.hardware.get();
      const config = await loadProviderConfig(settings, services.env, services.secrets);
      const policy = services.policy();
      return modelCatalogue(config, settings, {
        policy,
        advice: adviseLocalModels(report, settings.ollama.numCtx),
        onEgress: (entry) => services.egress.record(entry),
        profileFixes: services.profileFixes,
        // The picker's listings are free health checks: the status strip learns from them too.
        onListings: (listings) => {
          try {
            noteListings(services.health, listings, config, policy);
          } catch {
            // Health is advice; the picker must open regardless.
          }
        },
      });
    },
    'hardware:get': async (input) => {
      const report = await services.hardware.get({ refresh: input?.refresh === true });
      return { report, advice: adviseLocalModels(report, services.settings.get().settings.ollama.numCtx) };
    },
    'ollama:status': () => services.ollama.status(),
    'ollama:list': async () => ({ models: await services.ollama.list(await services.hardware.get()) }),
    'ollama:pull': ({ model }) => services.pulls.start(model),
    'ollama:cancel-pull': ({ model }) => services.pulls.cancel(model),
    'ollama:load': async ({ model }) => {
      await services.ollama.preload(model);
      return { loaded: true as const };
    },
    'ollama:delete': async ({ model }) => {
      await services.ollama.delete(model);
      return { deleted: true as const };
    },
    'providers:test': async ({ provider }) =>
      testConnection(provider, await loadProviderConfig(services.settings.get().settings, services.env, services.secrets), {
        policy: services.policy(),
        onEgress: (entry) => services.egress.record(entry),
        profileFixes: services.profileFixes,
      }),
    'providers:get-credentials': () => credentialsOverview(services.settings.get().settings, services.env, services.secrets),
    'providers:set-secret': async ({ name, value, sessionOnly }) => {
      // A student's own key for the school's server may be saved even where the school locks settings.
      await guardCredentials(services.policyFile, services.lock, name);
      return services.secrets.set(name, value, { sessionOnly: sessionOnly === true });
    },
    'providers:remove-secret': async ({ name }) => {
      await guardCredentials(services.policyFile, services.lock, name);
      return { removed: await services.secrets.delete(name) };
    },
    'providers:import-aws-csv': async ({ content }) => {
      await guardCredentials(services.policyFile, services.lock);
      return importAwsAccessKeyCsv(content, services.secrets);
    },
    'providers:list-aws-profiles': async () => ({ profiles: await listAwsProfiles(services.env) }),
    'egress:list': (input) => ({ entries: services.egress.list(input ?? {}), total: services.egress.count() }),
    'privacy:get-state': async () => privacyState(services),
    'privacy:lock': async ({ password, forbidTools }) => {
      await services.lock.lock(password, { ...pinsFrom(services.settings.get().settings, services.env, services.appInfo.dataDir), ...(forbidTools && { forbidTools }) });
      return privacyState(services);
    },
    'privacy:unlock': async ({ password }) => {
      await services.lock.unlock(password);
      return privacyState(services);
    },
    'egress:export-csv': () => ({ csv: services.egress.toCsv(), fileName: `atelier-egress-${new Date().toISOString().slice(0, 10)}.csv` }),
    'usage:get-report': (input) => services.usage.report(input?.since === undefined ? defaultSince() : parseSince(input.since)),
    'usage:export-csv': (input) => {
      const since = input?.since === undefined ? defaultSince() : parseSince(input.since);
      return { csv: usageCsv(services.usage.report(since)), fileName: `atelier-usage-${since}.csv` };
    },
    'usage:get-budget': () => budgetState(services),
    'reliability:get-status': async (input) => {
      const settings = services.settings.get().settings;
      const config = await loadProviderConfig(settings, services.env, services.secrets);
      if (input?.check) noteListings(services.health, await listModels(config, { policy: services.policy(), onEgress: (entry) => services.egress.record(entry), recordRefusals: false }), config, services.policy());
      const managed = services.policyFile.read();
      const fromPolicy = managed.state === 'valid' && managed.policy.fallbacks !== undefined;
      const chains = fromPolicy && managed.state === 'valid' ? (managed.policy.fallbacks ?? {}) : settings.fallbacks;
      const locked = await services.lock.isLocked();
      return {
        ...reliabilityStatus(services.health, configuredProviders(config)),
        fallbacks: {
          chains,
          source: fromPolicy ? ('policy' as const) : Object.keys(chains).length > 0 ? ('settings' as const) : ('none' as const),
          lockedBy: fromPolicy || (managed.state === 'valid' && managed.policy.lockSettings === true) ? ('policy' as const) : locked ? ('classroom-lock' as const) : null,
        },
      };
    },
    'usage:set-budget': async (patch) => {
      await services.settings.update({ budget: patch });
      return budgetState(services);
    },
    'assistants:list': () => services.assistants.list(),
    'assistants:add': (fields) => services.assistants.add(fields),
    'assistants:update': ({ id, fields }) => services.assistants.update(id, fields),
    'assistants:duplicate': ({ id, copyName }) => services.assistants.duplicate(id, copyName === undefined ? undefined : () => copyName),
    'assistants:remove': async ({ id }) => {
      await services.assistants.remove(id);
      return { removed: true as const };
    },
    'school:get-status': async () => {
      const config = await loadProviderConfig(services.settings.get().settings, services.env, services.secrets);
      return { servers: await schoolServerStatus(config, services.policy(), { onEgress: (entry) => services.egress.record(entry) }) };
    },
    'tools:list-servers': async () => ({ servers: toolServerEntries(services), lockedBy: (await services.lock.isLocked()) ? ('classroom-lock' as const) : schoolLocksSettings(services) ? ('policy' as const) : null }),
    'tools:add-server': async ({ server, envValues, replace }) => {
      if (envValues && Object.keys(envValues).length > 0) await guardCredentials(services.policyFile, services.lock);
      // The store checks the school's policy and the classroom lock (mcp is a protected setting).
      await services.settings.update(({ mcp }) => {
        const found = mcp.servers.some((existing) => existing.name === server.name);
        if (found && !replace) throw new AtelierError('invalid_request', `There is a tool server “${server.name}” already.`, 'Choose another name, or change that one.');
        return { mcp: { servers: found ? mcp.servers.map((existing) => (existing.name === server.name ? server : existing)) : [...mcp.servers, server] } };
      });
      for (const [variable, value] of Object.entries(envValues ?? {})) await services.secrets.set(mcpEnvSecretName(server.name, variable), value, { anyText: true });
      return { servers: toolServerEntries(services) };
    },
    'tools:remove-server': async ({ name }) => {
      let removed: McpServerConfig | undefined;
      await services.settings.update(({ mcp }) => {
        removed = mcp.servers.find((server) => server.name === name);
        if (!removed) throw new AtelierError('invalid_request', `There is no tool server “${name}”.`, 'Reload the list.');
        return { mcp: { servers: mcp.servers.filter((server) => server.name !== name) } };
      });
      // Its variables' values go from the keychain with it.
      if (removed?.transport === 'stdio') for (const variable of removed.env) await services.secrets.delete(mcpEnvSecretName(name, variable)).catch(() => false);
      return { servers: toolServerEntries(services) };
    },
    'tools:set-enabled': async ({ name, enabled }) => {
      await services.settings.update(({ mcp }) => {
        if (!mcp.servers.some((server) => server.name === name)) throw new AtelierError('invalid_request', `There is no tool server “${name}”.`, 'Reload the list.');
        return { mcp: { servers: mcp.servers.map((server) => (server.name === name ? { ...server, enabled } : server)) } };
      });
      return { servers: toolServerEntries(services) };
    },
    'tools:list-tools': async ({ name }) => ({ tools: await services.toolServers.listTools(name) }),
    'tools:answer-approval': ({ requestId, decision }) => ({ answered: services.toolApprovals.answer(requestId, decision) }),
    'gateway:get-status': () => services.gateway.status(),
    'gateway:list-tokens': () => ({ tokens: services.serveTokens.list() }),
    'gateway:add-token': async ({ name }) => {
      await guardCredentials(services.policyFile, services.lock);
      return services.serveTokens.add(name);
    },
    'gateway:revoke-token': async ({ name }) => {
      await guardCredentials(services.policyFile, services.lock);
      return { revoked: await services.serveTokens.revoke(name) };
    },
  };
}

/** The tool servers in the settings, each with where it runs. */
function toolServerEntries(services: MainServices) {
  return listToolServers(services.settings.get().settings.mcp.servers, services.policy());
}

function schoolLocksSettings(services: MainServices): boolean {
  const managed = services.policyFile.read();
  return managed.state === 'valid' && managed.policy.lockSettings === true;
}

/** The budget in force, what is spent against it, and who may change it. */
async function budgetState(services: MainServices) {
  const budget = services.policy().budget ?? { dailyUsd: null, monthlyUsd: null, source: 'none' as const };
  return budgetStatus(services.usage.ledgers.current(), budget, budgetLockedBy(budget, services.policyFile.read(), await services.lock.isLocked()));
}

/** Forwards core's change notifications to the renderer as contract events. */
export function forwardEvents(services: MainServices, emit: EmitEvent): () => void {
  const unsubscribers = [
    services.settings.subscribe((state) => emit('settings:changed', state)),
    // A change the CLI makes while the app runs reaches the window too.
    services.settings.watch(),
    services.chat.subscribe((event) => emit('chat:stream-part', event)),
    services.pulls.subscribe((event) => emit('ollama:pull-progress', event)),
    services.gateway.subscribe((status) => emit('gateway:status-changed', status)),
    services.toolApprovals.subscribe((request) => emit('tools:approval-requested', request)),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** The privacy setting in force, where it comes from, and whether the class or the school locks it. */
async function privacyState(services: MainServices) {
  const managed = services.policyFile.read();
  const policy = services.policy();
  return {
    tier: policy.tier,
    source: policy.source,
    classroomLocked: await services.lock.isLocked(),
    policyFile: managed.state === 'none' ? null : managed.file,
    schoolLocksSettings: managed.state === 'valid' && managed.policy.lockSettings === true,
    problem: policy.problem ?? null,
  };
}
