import { formatUsd } from '../../shared/format';
import type { SchoolKeyInfo, SchoolServerStatus } from '../../shared/school-server';
import { terminalLine } from '../../shared/terminal-text';

/**
 * A school server in `atelier doctor`'s words: which it is, whether it is a LiteLLM proxy, and
 * what it says of the key (what is left of its budget, when it starts again, its limits). What
 * the server sent (a key's alias) is shown as one plain line: no terminal controls from it.
 */
export function describeSchoolServer(server: SchoolServerStatus, now: Date = new Date()): string[] {
  const from = server.source === 'policy' ? 'from your school’s policy file' : 'added by you';
  const head = `School server ${server.provider} (${terminalLine(server.name, 80)} at ${terminalLine(server.baseUrl, 120)}, ${from}):`;
  if (server.key) return [`${head} LiteLLM`, ...describeKey(server.key, now).map((line) => `  ${line}`)];
  if (server.litellm === false) return [`${head} not a LiteLLM proxy, so it shows no budget or limits per key`];
  const error = server.error;
  return [`${head} ${server.litellm ? 'LiteLLM; ' : ''}${error ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : 'no information about the key'}`];
}

function describeKey(key: SchoolKeyInfo, now: Date): string[] {
  const name = key.name === null ? 'your key' : `your key “${terminalLine(key.name, 60)}”`;
  const budget =
    key.maxBudgetUsd === null
      ? `${name}: ${formatUsd(key.spentUsd)} spent, no budget set on it`
      : `${name}: ${formatUsd(key.remainingUsd ?? 0)} left of ${formatUsd(key.maxBudgetUsd)} (${formatUsd(key.spentUsd)} spent)`;
  const reset =
    key.budgetResetAt !== null
      ? `, starts again ${new Date(key.budgetResetAt).toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' })}${key.budgetDuration ? ` (every ${terminalLine(key.budgetDuration, 20)})` : ''}`
      : key.maxBudgetUsd !== null && key.budgetDuration === null
        ? ', does not start again by itself'
        : '';
  const limits = [
    key.rpmLimit !== null && `${key.rpmLimit} requests per minute`,
    key.tpmLimit !== null && `${key.tpmLimit} tokens per minute`,
    key.maxParallelRequests !== null && `${key.maxParallelRequests} requests at once`,
  ].filter((limit): limit is string => typeof limit === 'string');
  const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  const expires = key.expiresAt === null ? [] : [Date.parse(key.expiresAt) > now.getTime() ? `the key works until ${day(key.expiresAt)}` : `the key expired on ${day(key.expiresAt)}: ask for a new one`];
  return [
    `${budget}${reset}`,
    `limits: ${limits.length > 0 ? limits.join(', ') : 'none set on the key'}`,
    ...(key.models.length > 0 ? [`models: ${terminalLine(key.models.join(', '), 200)}`] : []),
    ...expires,
  ];
}
