import type { Command } from 'commander';
import { modelRoles } from '../../../shared/choices';
import { retiredModel } from '../../core/models/lifecycle';
import { AtelierError, describeIssues } from '../../../shared/errors';
import { FallbacksSchema, ModelIdSchema, type Settings } from '../../../shared/settings';
import type { ReliabilityStatus } from '../../../shared/reliability';
import { printable } from '../../../shared/text';
import { loadProviderConfig } from '../../core/config/load-provider-config';
import { listModels } from '../../core/models/list-models';
import { effectivePolicy } from '../../core/privacy/policy';
import { configuredProviders, noteListings, reliabilityStatus } from '../../core/reliability/status';
import { SecretStore } from '../../core/secrets/secret-store';
import { egressRecorderFor, healthFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { openSettingsStore } from './settings';

const STATE_WORDS = { ok: 'ok', degraded: 'degraded', cooling: 'cooling down', down: 'down', unknown: 'not asked yet' } as const;

export function registerReliabilityCommands(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('how each configured provider and route is doing: ok, degraded, cooling down until …, down')
    .option('--json', 'print JSON instead of text')
    .option('--no-check', 'only what recent answers showed; do not ask the providers for their model lists')
    .action(async (options: { json?: boolean; check: boolean }) => {
      const settings = (await openSettingsStore(io)).get().settings;
      const policy = effectivePolicy(settings, policyFileFor(io).read());
      const config = await loadProviderConfig(settings, io.env, SecretStore.fromEnvironment(io.env));
      const health = healthFor(io)();
      // Model lists are free to ask: they tell whether each provider answers, without a billed prompt.
      if (options.check) noteListings(health, await listModels(config, { policy, onEgress: egressRecorderFor(io), recordRefusals: false }), config, policy);
      const status = reliabilityStatus(health, configuredProviders(config));
      if (options.json) {
        printJson(io, status);
        return;
      }
      io.stdout(describeStatus(status));
    });

  const fallback = program.command('fallback').description('fallback chains: the models to use, in order, when a model is down or cooling down');

  fallback
    .command('list')
    .description('the chains in force and who set them')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const settings = (await openSettingsStore(io)).get().settings;
      const managed = policyFileFor(io).read();
      const fromPolicy = managed.state === 'valid' && managed.policy.fallbacks !== undefined;
      const chains = fromPolicy ? (managed.policy.fallbacks ?? {}) : settings.fallbacks;
      if (options.json) {
        printJson(io, { source: fromPolicy ? 'policy' : Object.keys(chains).length > 0 ? 'settings' : 'none', fallbacks: chains });
        return;
      }
      if (Object.keys(chains).length === 0) {
        io.stdout('No fallback chains: when a model cannot answer, the answer ends with its error.\nSet one with: atelier fallback set MODEL_OR_ROLE FALLBACK…\n');
        return;
      }
      if (fromPolicy) io.stdout('Set by your school’s policy file.\n');
      for (const [from, chain] of Object.entries(chains)) io.stdout(`${from} → ${chain.join(' → ')}\n`);
    });

  fallback
    .command('set')
    .description('set the chain of a model or role (fast, advanced, extreme); refused while the class is locked or the school sets the chains')
    .argument('<model-or-role>', 'a model id such as anthropic/claude-sonnet-4-6, or a role: fast, advanced, extreme')
    .argument('<fallback...>', 'the models to use instead, in order')
    .addHelpText('after', '\nExamples:\n  atelier fallback set bedrock/eu.anthropic.claude-sonnet-4-6 bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0 local/llama3.2:3b\n  atelier fallback set fast local/llama3.2:3b\n')
    .action(async (from: string, chain: string[]) => {
      checkKey(from);
      for (const model of chain) {
        const checked = ModelIdSchema.safeParse(model);
        if (!checked.success) throw new AtelierError('invalid_request', `"${printable(model, 80)}" is not a model id: ${describeIssues(checked.error.issues)}.`, 'Give model ids such as local/llama3.2:3b (atelier models lists them).');
        const retired = retiredModel(model.slice(0, model.indexOf('/')), model.slice(model.indexOf('/') + 1));
        if (retired) throw new AtelierError('invalid_request', `${printable(model, 80)} was retired on ${retired.retiredOn}: as a fallback it could never answer.`, retired.successor ? `Use ${retired.successor} instead.` : 'Choose a current model (atelier models lists them).');
      }
      if (chain.includes(from)) throw new AtelierError('invalid_request', `${from} cannot be its own fallback.`, 'Name other models to use when it cannot answer.');
      const store = await openSettingsStore(io);
      await store.update((current: Settings) => ({ fallbacks: validChains({ ...current.fallbacks, [from]: [...new Set(chain)] }) }));
      io.stdout(`${from} → ${[...new Set(chain)].join(' → ')}\nA fallback the privacy setting, the school’s lists or the budget do not allow is skipped, never used.\n`);
      const settings = store.get().settings;
      if ((modelRoles as readonly string[]).includes(from) && settings.roles[from as (typeof modelRoles)[number]] === null) {
        io.stderr(`Note: the role ${from} has no model set (roles.${from}), so this chain applies once it has one: atelier config set roles.${from} MODEL\n`);
      }
      const known = new Set<string>(['local', 'bedrock', 'anthropic', 'openai', 'openrouter', ...settings.endpoints.map((endpoint) => endpoint.prefix)]);
      for (const model of [from, ...chain]) {
        const prefix = model.slice(0, model.indexOf('/'));
        if (model.includes('/') && !known.has(prefix)) io.stderr(`Note: "${prefix}" is not a provider Atelier knows yet (add it with atelier endpoints add); until then ${model} is skipped.\n`);
      }
    });

  fallback
    .command('clear')
    .description('remove the chain of a model or role')
    .argument('<model-or-role>', 'the model id or role the chain was set for')
    .action(async (from: string) => {
      checkKey(from);
      let had = false;
      await (await openSettingsStore(io)).update((current: Settings) => {
        had = Object.hasOwn(current.fallbacks, from);
        const { [from]: _removed, ...rest } = current.fallbacks;
        return { fallbacks: rest };
      });
      io.stdout(had ? `Removed the chain of ${from}.\n` : `${from} had no chain; nothing changed.\n`);
    });
}

/** A model id or a role, else a clear refusal. */
function checkKey(from: string): void {
  if ((modelRoles as readonly string[]).includes(from)) return;
  const checked = ModelIdSchema.safeParse(from);
  if (!checked.success) {
    throw new AtelierError('invalid_request', `"${printable(from, 80)}" is neither a model id nor a role.`, `Give a model id such as anthropic/claude-sonnet-4-6, or a role: ${modelRoles.join(', ')}.`);
  }
}

function validChains(chains: Settings['fallbacks']): Settings['fallbacks'] {
  const parsed = FallbacksSchema.safeParse(chains);
  if (!parsed.success) throw new AtelierError('invalid_request', `That chain cannot be saved: ${describeIssues(parsed.error.issues)}.`);
  return parsed.data;
}

function describeStatus(status: ReliabilityStatus): string {
  const lines = status.providers.map((provider) => {
    const until = provider.coolingUntil ? ` until ${new Date(provider.coolingUntil).toLocaleTimeString('en-GB')}` : '';
    const last = provider.lastErrorCode && provider.state !== 'ok' ? ` (last error: ${provider.lastErrorCode})` : '';
    return `${provider.provider.padEnd(12)} ${STATE_WORDS[provider.state]}${until}${last}`;
  });
  const troubled = status.routes.filter((route) => route.state !== 'ok' && route.modelId !== '*');
  if (troubled.length > 0) {
    lines.push('', 'Routes:');
    for (const route of troubled) {
      const until = route.coolingUntil ? ` until ${new Date(route.coolingUntil).toLocaleTimeString('en-GB')}` : '';
      lines.push(`  ${route.provider}/${route.modelId} (${route.place}): ${STATE_WORDS[route.state]}${until}, ${route.failures} failure${route.failures === 1 ? '' : 's'} in a row, last error ${route.lastErrorCode ?? 'none'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
