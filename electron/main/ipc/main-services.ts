import type { AppInfo } from '../../../shared/app-info';
import { describeApp } from '../../core/app-info';
import { createRouterFor } from '../../core/chat/settings-router';
import { resolveProviderConfig } from '../../core/config/provider-config';
import { HardwareService } from '../../core/hardware/hardware-service';
import type { ProbeResults } from '../../core/hardware/interpret-hardware';
import { ProfileFixes } from '../../core/models/bedrock-profiles';
import { OllamaService } from '../../core/ollama/ollama-service';
import { ClassroomLock } from '../../core/privacy/classroom-lock';
import { ConversationChat } from '../../core/conversations/conversation-chat';
import { ConversationStore } from '../../core/conversations/conversation-store';
import { EgressLog, type NewEgressEntry } from '../../core/privacy/egress-log';
import { effectivePolicy } from '../../core/privacy/policy';
import { PolicyFileReader } from '../../core/privacy/policy-file';
import { guardSettings } from '../../core/privacy/settings-guard';
import { withPinnedEnvironment } from '../../core/privacy/lock-pins';
import { openDatabase } from '../../core/store/database';
import { SecretStore } from '../../core/secrets/secret-store';
import { SettingsStore } from '../../core/settings/settings-store';
import { Ledgers } from '../../core/usage/ledgers';
import { RouteHealthStore } from '../../core/reliability/route-health';
import { usageDetails } from '../../core/usage/usage-report';
import { ChatStreams } from './chat-streams';
import { AssistantStore } from '../../core/assistants/assistant-store';
import { AssistantLibrary } from '../../core/assistants/assistant-library';
import { languageOfSetting } from '../../core/assistants/builtin-assistants';
import type { MainServices } from './handlers';
import { GatewayService } from '../../core/gateway/gateway-service';
import { ToolServers, toolServersInForce } from '../../core/tools/tool-servers';
import { ToolApprovals } from './tool-approvals';
import { gatewayModels } from '../../core/gateway/gateway-models';
import { ServeTokens } from '../../core/gateway/serve-tokens';
import { loadProviderConfig } from '../../core/config/load-provider-config';
import { adviseLocalModels } from '../../core/hardware/hardware-matrix';
import { isRole, roleModel } from '../../core/models/role-model';
import { OllamaPulls } from './ollama-pulls';

export interface MainServicesOptions {
  dataDir: string;
  /** The environment provider keys and addresses are read from (process.env in the app). */
  env: Readonly<Record<string, string | undefined>>;
  runtime: AppInfo['runtime'];
  /** How hardware is probed: a worker thread in the app, anything in tests. */
  probe: () => Promise<ProbeResults>;
  /** The keychain; by default the service ATELIER_KEYCHAIN_SERVICE names, else "Atelier". */
  secrets?: SecretStore;
}

/** Everything the IPC handlers serve, built the same way in the app and in the test harness. */
export async function createMainServices({ dataDir, env: processEnv, runtime, probe, secrets: givenSecrets }: MainServicesOptions): Promise<MainServices> {
  const secrets = givenSecrets ?? SecretStore.fromEnvironment(processEnv);
  const lock = new ClassroomLock(dataDir, secrets);
  // While the class is locked, only the system's policy file counts (not ATELIER_POLICY_FILE).
  const policyFile = PolicyFileReader.fromEnvironment(processEnv, process.platform, () => lock.pins() !== null);
  // While the class is locked, the address variables keep the values they had when it was locked.
  const env = withPinnedEnvironment(processEnv, () => lock.pins());
  // The school's server (the policy's schoolServer) is among the endpoints in force, never written to settings.json.
  const settings = await SettingsStore.open(dataDir, { guard: guardSettings(policyFile, lock), pins: lock, policy: () => policyFile.read() });
  const profileFixes = await ProfileFixes.open(dataDir);
  const db = openDatabase(dataDir);
  const egress = new EgressLog(db);
  const conversations = new ConversationStore(db);
  // An answer left streaming by a crash or a killed process is marked so; what was deleted and
  // not undone before Atelier quit is removed for good.
  conversations.markInterrupted();
  conversations.purgeDeleted();
  const policy = () => effectivePolicy(settings.get().settings, policyFile.read());
  const recordEgress = (entry: NewEgressEntry) => egress.record(entry);
  const ollama = new OllamaService(() => resolveProviderConfig(settings.get().settings, env).ollama, { policy, onEgress: recordEgress });
  const ledgers = new Ledgers({ dataDir, ownDatabase: () => db, policy: () => policyFile.read(), pins: () => lock.pins() });
  const health = new RouteHealthStore(db);
  // Each detection is kept in the data folder; until this run's is done, num_ctx is planned with the last one kept.
  const hardware = new HardwareService(probe, () => settings.get().settings.hardware.vramOverrideGb, { dataDir });
  const assistantStore = new AssistantStore(db);
  const assistants = new AssistantLibrary({
    store: () => assistantStore,
    policyFile: () => policyFile.read(),
    classroomLocked: () => lock.isLocked(),
    language: () => languageOfSetting(settings.get().settings.language),
    knownPrefixes: () => settings.get().settings.endpoints.map((endpoint) => endpoint.prefix),
  });
  const findAssistant = (id: string) => assistants.find(id);
  const router = createRouterFor(settings, env, secrets, {
    bedrock: { profileFixes },
    onEgress: recordEgress,
    ledger: () => ledgers.current(),
    health: () => health,
    policyFile,
    assistants: findAssistant,
    detectedVramBytes: () => hardware.detectedVramBytes(),
  });
  const chat = new ChatStreams(router);
  const pulls = new OllamaPulls(ollama);
  // The local OpenAI-compatible endpoint: on while the settings say so, through the same router.
  const serveTokens = new ServeTokens(db, secrets);
  const providerState = async () => {
    const current = settings.get().settings;
    return { settings: current, config: await loadProviderConfig(current, env, secrets), policy: policy() };
  };
  const gateway = new GatewayService({
    router,
    tokens: serveTokens,
    settings: () => settings.get().settings.gateway,
    models: gatewayModels(providerState, { onEgress: recordEgress, profileFixes }),
    resolveRole: async (role) => {
      if (!isRole(role)) return null;
      const { settings: current, config, policy: inForce } = await providerState();
      return roleModel(role, current.roles, inForce, config, async () => adviseLocalModels(await hardware.get(), current.ollama.numCtx));
    },
  });
  const toolApprovals = new ToolApprovals();
  const toolServers = new ToolServers({
    servers: () => toolServersInForce(settings.get().settings.mcp.servers, policy()),
    policy,
    env: processEnv,
    secrets,
    onEgress: recordEgress,
    lockForbids: () => lock.pins()?.forbidTools ?? null,
  });
  settings.subscribe(() => void gateway.sync());
  void gateway.sync();
  let closing: Promise<void> | null = null;
  return {
    appInfo: describeApp(dataDir, runtime),
    settings,
    secrets,
    env,
    profileFixes,
    egress,
    policyFile,
    policy,
    lock,
    chat,
    conversations,
    conversationChat: new ConversationChat(conversations, router, {
      assistants: findAssistant,
      tools: {
        servers: toolServers,
        serverNames: () => toolServersInForce(settings.get().settings.mcp.servers, policy()).filter((server) => server.enabled).map((server) => server.name),
        approve: (conversationId, call, signal) => toolApprovals.ask(conversationId, call, signal),
      },
    }),
    hardware,
    ollama,
    pulls,
    usage: { report: (since) => usageDetails(db, since), ledgers },
    health,
    assistants,
    gateway,
    serveTokens,
    toolServers,
    toolApprovals,
    close: () =>
      (closing ??= (async () => {
        chat.abortAll();
        pulls.cancelAll();
        await gateway.close();
        // Local tool servers are programs Atelier started: they stop with it.
        await toolServers.closeAll();
        await chat.settled();
        ledgers.close();
        db.close();
      })()),
  };
}
