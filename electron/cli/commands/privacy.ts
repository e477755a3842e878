import type { Command } from 'commander';
import { privacyTiers, type PrivacyTier } from '../../../shared/choices';
import { AtelierError } from '../../../shared/errors';
import { policyFromSettings, TIER_NAMES } from '../../core/privacy/policy';
import { printJson, type CliIo } from '../cli-context';
import { openSettingsStore } from './settings';

const WHAT_IT_ALLOWS: Record<PrivacyTier, string> = {
  dsgvo_local: 'Ollama on this computer (or a host your school names); nothing leaves it.',
  dsgvo_cloud: 'the above, and AWS Bedrock in an EU region with an EU inference profile or an in-region model.',
  non_dsgvo: 'every provider, including ones outside the EU.',
};

export function registerPrivacyCommand(program: Command, io: CliIo): void {
  const privacy = program.command('privacy').description('where words may go: show or set the privacy tier');

  privacy
    .command('show')
    .description('the tier in force, where it comes from, and what it allows')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const policy = policyFromSettings((await openSettingsStore(io)).get().settings);
      if (options.json) {
        printJson(io, { tier: policy.tier, name: TIER_NAMES[policy.tier], allows: WHAT_IT_ALLOWS[policy.tier], source: policy.source });
        return;
      }
      io.stdout(`${TIER_NAMES[policy.tier]} (${policy.tier}), from ${policy.source === 'settings' ? 'your settings' : 'your school’s policy'}.\nAllows: ${WHAT_IT_ALLOWS[policy.tier]}\n`);
    });

  privacy
    .command('set')
    .description(`choose the tier: ${privacyTiers.join(', ')}`)
    .argument('<tier>', privacyTiers.join(' | '))
    .action(async (tier: string) => {
      if (!(privacyTiers as readonly string[]).includes(tier)) {
        throw new AtelierError('invalid_request', `"${tier}" is not a privacy tier.`, `Tiers: ${privacyTiers.join(', ')}.`);
      }
      await (await openSettingsStore(io)).update({ privacy: { tier: tier as PrivacyTier } });
      io.stdout(`Privacy tier: ${TIER_NAMES[tier as PrivacyTier]}. Allows: ${WHAT_IT_ALLOWS[tier as PrivacyTier]}\n`);
    });
}
