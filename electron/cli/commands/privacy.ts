import type { Command } from 'commander';
import { privacyTiers, type PrivacyTier } from '../../../shared/choices';
import { AtelierError } from '../../../shared/errors';
import { effectivePolicy, TIER_NAMES } from '../../core/privacy/policy';
import { classroomLockFor, policyFileFor, printJson, type CliIo } from '../cli-context';
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
      // The settings (and so the classroom lock) first: while locked, only the system's policy file counts.
      const settings = (await openSettingsStore(io)).get().settings;
      const managed = policyFileFor(io).read();
      const policy = effectivePolicy(settings, managed);
      const summary = {
        tier: policy.tier,
        name: TIER_NAMES[policy.tier],
        allows: WHAT_IT_ALLOWS[policy.tier],
        source: policy.source,
        policyFile: managed.state === 'none' ? null : managed.file,
        ...(policy.allowedProviders && { allowedProviders: policy.allowedProviders }),
        ...(policy.allowedModels && { allowedModels: policy.allowedModels }),
        ...(policy.problem && { problem: policy.problem }),
        ...(policy.notes && { notes: policy.notes }),
        classroomLocked: await classroomLockFor(io).isLocked(),
      };
      if (options.json) {
        printJson(io, summary);
        return;
      }
      io.stdout(`${summary.name} (${policy.tier}), from ${policy.source === 'settings' ? 'your settings' : `your school’s policy (${summary.policyFile})`}.\nAllows: ${summary.allows}\n`);
      if (policy.allowedModels) io.stdout(`Your school allows only: ${policy.allowedModels.join(', ')}\n`);
      if (summary.classroomLocked) io.stdout('Classroom lock: on. The privacy setting, the providers, their addresses and keys stay as they were when it was locked ("atelier unlock" with the password).\n');
      if (policy.problem) io.stdout(`${policy.problem}\n`);
      for (const note of policy.notes ?? []) io.stdout(`Note: ${note}\n`);
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
