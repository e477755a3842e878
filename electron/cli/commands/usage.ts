import { InvalidArgumentError, type Command } from 'commander';
import { AtelierError } from '../../../shared/errors';
import { formatUsd } from '../../../shared/format';
import { printable } from '../../../shared/text';
import { UsdLimitSchema, type BudgetSettings, type BudgetStatus } from '../../../shared/usage';
import { effectivePolicy } from '../../core/privacy/policy';
import { budgetLockedBy, budgetStatus, defaultSince, parseSince, usageDetails } from '../../core/usage/usage-report';
import { classroomLockFor, databaseFor, ledgersFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { openSettingsStore } from './settings';

export function registerUsageCommands(program: Command, io: CliIo): void {
  program
    .command('usage')
    .description('what answers cost and used: per day, provider and model (from the egress record)')
    .option('--since <YYYY-MM-DD>', 'the first day to count (default: 30 days ago)')
    .option('--json', 'print JSON instead of text')
    .action((options: { since?: string; json?: boolean }) => {
      const since = options.since === undefined ? defaultSince() : parseSince(options.since);
      const details = usageDetails(databaseFor(io), since);
      if (options.json) {
        const { unpricedByModel: _byModel, unpricedByDay: _byDay, ...report } = details;
        printJson(io, report);
        return;
      }
      const report = details;
      const answers = report.byDay.some((day) => day.inputTokens + day.outputTokens > 0) || Object.keys(report.byModel).length > 0;
      io.stdout(`Since ${report.since}: ${formatUsd(report.totalUsd)} spent.\n`);
      if (!answers) {
        io.stdout('No answers recorded in this time.\n');
        return;
      }
      if (report.unpricedAnswers > 0) {
        io.stdout(`${report.unpricedAnswers} answer${report.unpricedAnswers === 1 ? ' is' : 's are'} of unknown cost (no known price, or ended before the provider counted the tokens) and not counted.\n`);
      }
      const unpricedByProvider: Record<string, number> = {};
      for (const [model, count] of Object.entries(report.unpricedByModel)) {
        const provider = model.slice(0, model.indexOf('/'));
        unpricedByProvider[provider] = (unpricedByProvider[provider] ?? 0) + count;
      }
      io.stdout(`\nBy provider:\n${listing(report.byProvider, unpricedByProvider)}\nBy model:\n${listing(report.byModel, report.unpricedByModel)}\n`);
      io.stdout(`Day          Cost        Tokens in   Tokens out\n`);
      for (const day of report.byDay) {
        if (day.usd === 0 && day.inputTokens === 0 && day.outputTokens === 0) continue;
        io.stdout(`${day.day}   ${formatUsd(day.usd).padEnd(11)} ${String(day.inputTokens).padEnd(11)} ${day.outputTokens}\n`);
      }
    });

  const budget = program.command('budget').description('daily and monthly limits for cloud use on this computer, in US dollars');

  budget
    .command('show')
    .description('the limits, who set them, and what is spent against them')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const status = await currentStatus(io);
      if (options.json) {
        printJson(io, status);
      } else {
        io.stdout(describeStatus(status));
      }
      if (status.warning) io.stderr(`Warning: ${status.warning.percent} % of ${status.warning.period === 'daily' ? 'today’s' : 'this month’s'} budget is spent.\n`);
    });

  budget
    .command('set')
    .description('set the limits (a teacher; refused while the class is locked or the school’s policy sets them)')
    .option('--daily <USD>', 'the most cloud use may cost per day, such as 5 or 2.50; "none" for no limit', limitArgument('daily'))
    .option('--monthly <USD>', 'the most cloud use may cost per month; "none" for no limit', limitArgument('monthly'))
    .addHelpText('after', '\nExamples:\n  atelier budget set --daily 5 --monthly 50\n  atelier budget set --daily none\n')
    .action(async (options: { daily?: number | 'none'; monthly?: number | 'none' }) => {
      if (options.daily === undefined && options.monthly === undefined) {
        throw new AtelierError('invalid_request', 'Nothing to set.', 'Give --daily, --monthly or both, such as: atelier budget set --daily 5 --monthly 50 ("none" removes a limit).');
      }
      const patch: Partial<BudgetSettings> = {
        ...(options.daily !== undefined && { dailyUsd: options.daily === 'none' ? null : options.daily }),
        ...(options.monthly !== undefined && { monthlyUsd: options.monthly === 'none' ? null : options.monthly }),
      };
      await (await openSettingsStore(io)).update({ budget: patch });
      const status = await currentStatus(io);
      io.stdout(describeStatus(status));
      if (status.dailyUsd !== null && status.monthlyUsd !== null && status.dailyUsd > status.monthlyUsd) {
        io.stderr('Note: the daily budget is above the monthly one, so the monthly one is what holds.\n');
      }
    });
}

async function currentStatus(io: CliIo): Promise<BudgetStatus> {
  const settings = (await openSettingsStore(io)).get().settings;
  const managed = policyFileFor(io).read();
  const budget = effectivePolicy(settings, managed).budget ?? { dailyUsd: null, monthlyUsd: null, source: 'none' as const };
  return budgetStatus(ledgersFor(io).current(), budget, budgetLockedBy(budget, managed, await classroomLockFor(io).isLocked()));
}

function describeStatus(status: BudgetStatus): string {
  const limit = (usd: number | null, spent: number) => (usd === null ? `none (${formatUsd(spent)} spent)` : `${formatUsd(usd)}, ${formatUsd(spent)} spent`);
  const lines = [`Daily budget:   ${limit(status.dailyUsd, status.spentTodayUsd)}`, `Monthly budget: ${limit(status.monthlyUsd, status.spentThisMonthUsd)}`];
  if (status.reservedUsd > 0) lines.push(`Held for answers on their way: ${formatUsd(status.reservedUsd)}`);
  lines.push(
    status.source === 'policy'
      ? 'Set by your school’s policy file; it cannot be changed here.'
      : status.source === 'none'
        ? 'No limit is set. Models on this computer are never limited.'
        : `Set in your settings${status.lockedBy === 'classroom-lock' ? ' (kept as it is while the class is locked)' : ''}. Models on this computer are never limited.`,
  );
  return `${lines.join('\n')}\n`;
}

/** Dollars per name, most first; a name with answers of unknown cost says how many. */
function listing(record: Record<string, number>, unknown: Record<string, number>): string {
  const names = [...new Set([...Object.keys(record), ...Object.keys(unknown)])];
  return names
    .sort((a, b) => (record[b] ?? -1) - (record[a] ?? -1) || a.localeCompare(b))
    .map((name) => {
      const usd = record[name];
      const count = unknown[name] ?? 0;
      const note = count > 0 ? ` (${count} answer${count === 1 ? '' : 's'} of unknown cost)` : '';
      return `  ${(usd === undefined ? 'unknown' : formatUsd(usd)).padEnd(11)} ${name}${note}\n`;
    })
    .join('');
}

/**
 * `5`, `2.50` or `none`; anything else is refused with what to type. (Not null for "none":
 * commander takes a parser's null as "no value given".)
 */
function limitArgument(name: 'daily' | 'monthly') {
  return (value: string): number | 'none' => {
    const text = value.trim();
    if (text.toLowerCase() === 'none') return 'none';
    const usd = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    const checked = UsdLimitSchema.safeParse(usd);
    if (!checked.success) {
      const comma = /^\d+,\d+$/.test(text) ? ` (write ${text.replace(',', '.')} with a point)` : '';
      throw new InvalidArgumentError(`--${name} must be an amount in US dollars above 0 and up to 1000000, such as 5 or 2.50, or "none"; not "${printable(value, 40)}"${comma}.`);
    }
    return checked.data;
  };
}
