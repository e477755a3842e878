import type { Command } from 'commander';
import { loadProviderConfig } from '../../core/config/load-provider-config';
import { SecretStore } from '../../core/secrets/secret-store';
import { listModels } from '../../core/models/list-models';
import { ProfileFixes } from '../../core/models/bedrock-profiles';
import { describeLifecycle } from '../../core/models/lifecycle';
import { effectivePolicy } from '../../core/privacy/policy';
import { dataDirFor, egressRecorderFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { openSettingsStore } from './settings';
import { terminalLine } from '../../../shared/terminal-text';

export function registerModelsCommand(program: Command, io: CliIo): void {
  program
    .command('models')
    .description('list the models each provider offers (live where Atelier can ask; Bedrock’s cached for a day, else a catalogue), deprecated and retired ones marked')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const settings = (await openSettingsStore(io)).get().settings;
      const policy = effectivePolicy(settings, policyFileFor(io).read());
      const providers = await listModels(await loadProviderConfig(settings, io.env, SecretStore.fromEnvironment(io.env)), {
        policy,
        onEgress: egressRecorderFor(io),
        profileFixes: await ProfileFixes.open(dataDirFor(io)),
      });
      if (options.json) {
        printJson(io, providers);
        return;
      }
      for (const entry of providers) {
        const note =
          entry.source === 'catalogue'
            ? ' (Atelier’s catalogue)'
            : entry.source === 'cached'
              ? ` (live list from ${entry.listedAt ?? 'earlier'}, kept for a day)`
              : entry.source === 'live' && entry.provider === 'bedrock'
                ? ' (live list)'
                : entry.source === 'not-allowed'
                  ? ' (not allowed by the privacy setting)'
                  : '';
        io.stdout(`${entry.provider}${note}: ${entry.models.length} model${entry.models.length === 1 ? '' : 's'}\n`);
        if (entry.fallbackReason) io.stdout(`  Not the live list: ${entry.fallbackReason.message}${entry.fallbackReason.hint ? ` ${entry.fallbackReason.hint}` : ''}\n`);
        for (const model of entry.models) {
          const blocked = model.allowed === false ? '  [not allowed by the privacy setting]' : '';
          const lifecycle = model.lifecycle && model.lifecycle !== 'active' ? `  [${describeLifecycle({ ...model, lifecycle: model.lifecycle })}]` : '';
          // Ids and names come from the provider: shown, never run as terminal escapes.
          io.stdout(`  ${terminalLine(model.id, 300)}${model.name ? `  ${terminalLine(model.name)}` : ''}${model.note ? `  (${model.note})` : ''}${lifecycle}${blocked}\n`);
        }
        if (entry.error) io.stdout(`  ${entry.error.message}${entry.error.hint ? ` ${entry.error.hint}` : ''}\n`);
      }
    });
}
