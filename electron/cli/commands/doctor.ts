import type { Command } from 'commander';
import { modelRoles } from '../../../shared/hardware';
import { loadProviderConfig } from '../../core/config/load-provider-config';
import { describeAwsAuth, type ProviderConfig } from '../../core/config/provider-config';
import { configSecrets, scrubPayload } from '../../core/secrets/scrub';
import { SecretStore } from '../../core/secrets/secret-store';
import { adviseLocalModels, cloudDefaults } from '../../core/hardware/hardware-matrix';
import { detectHardware, probeSystem } from '../../core/hardware/system-probe';
import { OllamaService } from '../../core/ollama/ollama-service';
import { formatMemory } from '../../../shared/format';
import { printable } from '../../../shared/text';
import { listAwsProfiles } from '../../core/secrets/credentials-overview';
import { maskUrlCredentials } from '../../../shared/url-credentials';
import { classroomLockFor, policyFileFor, printJson, type CliIo } from '../cli-context';
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
      const [hardware, ollamaStatus] = await Promise.all([
        detectHardware({ vramOverrideBytes: override === null ? null : override * 1024 ** 3 }),
        new OllamaService(() => config.ollama, { policy: () => effectivePolicy(settings, policyFileFor(io).read()) }).status(),
      ]);
      // An address may hold credentials (user:password@): masked, and scrubbed from what Ollama said.
      const ollama = { ...ollamaStatus, host: maskUrlCredentials(ollamaStatus.host), problem: ollamaStatus.problem && scrubPayload(ollamaStatus.problem, configSecrets(config)) };
      const advice = adviseLocalModels(hardware, config.ollama.numCtx);
      const policy = effectivePolicy(settings, policyFileFor(io).read());
      const awsProfiles = config.bedrock.auth.kind === 'profile' ? await listAwsProfiles(io.env) : [];
      const notes = [...(config.ollama.hostProblem ? [config.ollama.hostProblem] : []), ...(policy.problem ? [policy.problem] : []), ...(policy.notes ?? [])];
      const report = { hardware, tier: advice.tier, recommendations: { ...advice, cloud: cloudDefaults }, ollama, providers: configuredProviders(config, awsProfiles), privacy: { tier: policy.tier, source: policy.source, classroomLocked: await classroomLockFor(io).isLocked() }, notes };
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
      lines.push(`Recommended local models at ${advice.numCtx} tokens of context:`);
      for (const role of modelRoles) {
        const pick = advice.local[role];
        lines.push(`  ${role.padEnd(9)} ${pick.model.padEnd(24)} needs ~${formatMemory(pick.requiredBytes)}, ${pick.fit}`);
      }
      lines.push(
        ollama.running
          ? `Ollama: running ${ollama.version} at ${ollama.host}`
          : `Ollama: not available at ${ollama.host}. ${ollama.problem?.message ?? ''} ${ollama.problem?.hint ?? ''}`.trimEnd(),
      );
      lines.push('Providers:');
      for (const provider of report.providers) lines.push(`  ${provider.provider.padEnd(11)} ${provider.configured ? 'configured' : 'not configured'} (${provider.detail})`);
      lines.push(`Privacy: ${policy.tier}, from ${policy.source === 'settings' ? 'your settings' : 'your school’s policy file'}${report.privacy.classroomLocked ? '; classroom lock on' : ''}`);
      for (const problem of [...hardware.problems, ...notes]) lines.push(`Note: ${problem}`);
      io.stdout(`${lines.join('\n')}\n`);
    });
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
