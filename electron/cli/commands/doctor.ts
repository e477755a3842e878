import type { Command } from 'commander';
import { modelRoles } from '../../../shared/hardware';
import { loadProviderConfig } from '../../core/config/load-provider-config';
import { describeAwsAuth, type ProviderConfig } from '../../core/config/provider-config';
import { configSecrets, scrubPayload } from '../../core/secrets/scrub';
import { SecretStore } from '../../core/secrets/secret-store';
import { describeNumCtx } from '../../core/hardware/context-size';
import { adviseLocalModels, cloudDefaults } from '../../core/hardware/hardware-matrix';
import { detectHardware, probeSystem } from '../../core/hardware/system-probe';
import { OllamaService } from '../../core/ollama/ollama-service';
import { formatMemory } from '../../../shared/format';
import { printable } from '../../../shared/text';
import { terminalLine } from '../../../shared/terminal-text';
import { listAwsProfiles } from '../../core/secrets/credentials-overview';
import { maskUrlCredentials } from '../../../shared/url-credentials';
import { classroomLockFor, dataDirFor, egressRecorderFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { schoolServerStatus } from '../../core/school/school-status';
import { describeSchoolServer } from '../school-words';
import type { HardwareAdvice, HardwareReport, ModelRole } from '../../../shared/hardware';
import type { InstalledModel } from '../../../shared/ollama';
import { effectivePolicy } from '../../core/privacy/policy';
import { openSettingsStore } from './settings';

export function registerDoctorCommand(program: Command, io: CliIo): void {
  program
    .command('doctor')
    .description('what this machine can run: GPUs and VRAM, the tier, recommended models, Ollama, providers')
    .option('--json', 'print JSON instead of text')
    .option('--raw', 'print what the hardware probes return, unchanged (to record a test fixture or a bug report)')
    .action(async (options: { json?: boolean; raw?: boolean }) => {
      if (options.raw) {
        printJson(io, await probeSystem());
        return;
      }
      const settings = (await openSettingsStore(io)).get().settings;
      const config = await loadProviderConfig(settings, io.env, SecretStore.fromEnvironment(io.env));
      const override = settings.hardware.vramOverrideGb;
      const ollamaService = new OllamaService(() => config.ollama, { policy: () => effectivePolicy(settings, policyFileFor(io).read()) });
      const [hardware, ollamaStatus, schoolServers] = await Promise.all([
        // Kept in the data folder too: `atelier chat` plans Ollama's num_ctx with it, without probing.
        detectHardware({ vramOverrideBytes: override === null ? null : override * 1024 ** 3, rememberIn: dataDirFor(io) }),
        ollamaService.status(),
        // The school's server (LiteLLM): the key's budget, what is left, its limits (/key/info).
        schoolServerStatus(config, effectivePolicy(settings, policyFileFor(io).read()), { onEgress: egressRecorderFor(io) }),
      ]);
      // Installed models, for the num_ctx each gets; doctor still answers when listing fails.
      const installed = ollamaStatus.running ? await ollamaService.list(hardware).catch(() => [] as InstalledModel[]) : [];
      // An address may hold credentials (user:password@): masked, and scrubbed from what Ollama said.
      const ollama = { ...ollamaStatus, host: maskUrlCredentials(ollamaStatus.host), problem: ollamaStatus.problem && scrubPayload(ollamaStatus.problem, configSecrets(config)) };
      const advice = adviseLocalModels(hardware, settings.ollama.numCtx);
      const context = contextReport(advice, hardware, installed, settings.ollama.numCtx);
      const policy = effectivePolicy(settings, policyFileFor(io).read());
      const awsProfiles = config.bedrock.auth.kind === 'profile' ? await listAwsProfiles(io.env) : [];
      const notes = [...(config.ollama.hostProblem ? [config.ollama.hostProblem] : []), ...(policy.problem ? [policy.problem] : []), ...(policy.notes ?? [])];
      const report = { hardware, tier: advice.tier, recommendations: { ...advice, cloud: cloudDefaults }, context, ollama, providers: configuredProviders(config, awsProfiles), schoolServers, privacy: { tier: policy.tier, source: policy.source, classroomLocked: await classroomLockFor(io).isLocked() }, notes };
      if (options.json) {
        printJson(io, report);
        return;
      }
      const lines: string[] = [];
      lines.push(`Computer: ${hardware.cpu.brand}, ${hardware.cpu.cores} cores, ${formatMemory(hardware.ramBytes)} RAM (${hardware.os.platform} ${hardware.os.arch})`);
      if (hardware.gpus.length === 0) lines.push('GPUs: none found');
      hardware.gpus.forEach((gpu, index) => {
        const vram = gpu.vramBytes === null ? 'VRAM unknown' : `${formatMemory(gpu.vramBytes)} VRAM (${gpu.vramSource})`;
        const role = index === hardware.primaryGpu ? ', used for models' : gpu.integrated ? ', integrated' : '';
        lines.push(`GPU ${index}: ${gpu.name} [${gpu.vendor}], ${vram}${role}${gpu.note ? `\n       ${gpu.note}` : ''}`);
      });
      lines.push(
        `Tier: ${advice.tier} (${hardware.usableVramBytes > 0 ? `${formatMemory(hardware.usableVramBytes)} for models, from ${hardware.vramSource}` : 'no GPU memory: models run on the CPU'})`,
      );
      lines.push(
        context.automatic
          ? 'Recommended local models, each with the context (num_ctx) Atelier sends it on this machine:'
          : `Recommended local models at ${advice.numCtx} tokens of context (num_ctx, fixed in settings):`,
      );
      for (const role of modelRoles) {
        const pick = advice.local[role];
        const why = context.automatic ? ` (${context.models.find((entry) => entry.model === pick.model)?.why ?? ''})` : '';
        lines.push(`  ${role.padEnd(9)} ${pick.model.padEnd(24)} needs ~${formatMemory(pick.requiredBytes)}, ${pick.fit}${context.automatic ? `, num_ctx ${pick.numCtx}${why}` : ''}`);
      }
      const others = context.models.filter((entry) => entry.roles.length === 0);
      if (others.length > 0) {
        lines.push('Installed local models, with the context (num_ctx) Atelier sends each:');
        for (const entry of others) lines.push(`  ${terminalLine(entry.model, 120).padEnd(34)} num_ctx ${entry.numCtx} (${entry.why})`);
      }
      lines.push(
        ollama.running
          ? `Ollama: running ${ollama.version} at ${ollama.host}`
          : `Ollama: not available at ${ollama.host}. ${ollama.problem?.message ?? ''} ${ollama.problem?.hint ?? ''}`.trimEnd(),
      );
      lines.push('Providers:');
      for (const provider of report.providers) lines.push(`  ${provider.provider.padEnd(11)} ${provider.configured ? 'configured' : 'not configured'} (${provider.detail})`);
      for (const server of schoolServers) lines.push(...describeSchoolServer(server));
      lines.push(`Privacy: ${policy.tier}, from ${policy.source === 'settings' ? 'your settings' : 'your school’s policy file'}${report.privacy.classroomLocked ? '; classroom lock on' : ''}`);
      for (const problem of [...hardware.problems, ...notes]) lines.push(`Note: ${problem}`);
      io.stdout(`${lines.join('\n')}\n`);
    });
}

/**
 * The num_ctx Atelier sends each recommended and each installed local model on this machine,
 * and why: the same choice a chat makes (core/hardware/context-size.ts).
 */
function contextReport(advice: HardwareAdvice, hardware: HardwareReport, installed: readonly InstalledModel[], fixed: number | null) {
  const vramBytes = hardware.usableVramBytes;
  const models = new Map<string, { model: string; numCtx: number; reason: string; why: string; roles: ModelRole[]; installed: boolean }>();
  for (const role of modelRoles) {
    const pick = advice.local[role];
    const entry = models.get(pick.model);
    if (entry) entry.roles.push(role);
    else models.set(pick.model, { model: pick.model, numCtx: pick.numCtx, reason: pick.numCtxReason, why: describeNumCtx({ numCtx: pick.numCtx, reason: pick.numCtxReason }, vramBytes), roles: [role], installed: false });
  }
  for (const model of installed) {
    const id = `local/${model.name}`;
    const entry = models.get(id);
    if (entry) entry.installed = true;
    else models.set(id, { model: id, numCtx: model.numCtx, reason: model.numCtxReason, why: describeNumCtx({ numCtx: model.numCtx, reason: model.numCtxReason }, vramBytes), roles: [], installed: true });
  }
  return { automatic: fixed === null, fixedNumCtx: fixed, vramBytes, models: [...models.values()] };
}

/** Which providers have what they need, and where it comes from; never the key itself, nor credentials in an address. */
function configuredProviders(config: ProviderConfig, awsProfiles: readonly string[]) {
  const keyed = (provider: string, entry: ProviderConfig['anthropic']) => ({
    provider,
    configured: entry.apiKey !== null,
    detail: entry.apiKey !== null ? `key from ${entry.keySource}, ${maskUrlCredentials(entry.baseUrl)}` : `no key: "atelier auth set ${entry.secretName}" or ${entry.keyVariable}`,
  });
  return [
    { provider: 'local', configured: true, detail: `Ollama at ${maskUrlCredentials(config.ollama.host)} (${config.ollama.hostSource})` },
    bedrockStatus(config, awsProfiles),
    keyed('anthropic', config.anthropic),
    keyed('openai', config.openai),
    keyed('openrouter', config.openrouter),
    ...[...config.endpoints.values()].map((endpoint) => ({
      provider: endpoint.prefix,
      configured: true,
      detail: `${endpoint.name} at ${maskUrlCredentials(endpoint.baseUrl)}${endpoint.apiKey ? `, key from ${endpoint.keySource}` : ''}`,
    })),
  ];
}

/** Bedrock is configured when credentials were found; a named AWS profile must exist in the AWS files. */
function bedrockStatus(config: ProviderConfig, awsProfiles: readonly string[]) {
  const { auth, authReason, region, regionSource } = config.bedrock;
  const where = `region ${region} (${regionSource})`;
  if (auth.kind === 'none') return { provider: 'bedrock', configured: false, detail: `nothing found (${authReason}); ${where}` };
  if (auth.kind === 'profile' && !awsProfiles.includes(auth.profile)) {
    return {
      provider: 'bedrock',
      configured: false,
      detail: `the AWS profile “${printable(auth.profile, 64)}” is in neither ${auth.configFile ?? '~/.aws/config'} nor ${auth.credentialsFile ?? '~/.aws/credentials'}: add it (aws configure --profile ${printable(auth.profile, 64)}) or choose another in Settings; ${where}`,
    };
  }
  return { provider: 'bedrock', configured: auth.kind !== 'default-chain', detail: `${describeAwsAuth(auth)}, ${authReason}; ${where}` };
}
