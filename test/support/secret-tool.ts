import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * What the Secret Service holds for a service, as `secret-tool` (libsecret's own CLI) sees it.
 * secret-tool prints each item's secret to stdout and its attributes to stderr, in the same
 * order, so the two are paired by position.
 */
export async function keychainEntries(service: string): Promise<{ account: string; secret: string }[]> {
  const { stdout, stderr } = await run('secret-tool', ['search', '--all', '--unlock', 'service', service]).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  const secrets = [...stdout.matchAll(/^secret = (.*)$/gm)].map((match) => match[1] ?? '');
  const accounts = [...stderr.matchAll(/^attribute\.username = (.*)$/gm)].map((match) => match[1] ?? '');
  if (secrets.length !== accounts.length) throw new Error(`secret-tool listed ${secrets.length} secrets but ${accounts.length} accounts.`);
  return secrets.map((secret, index) => ({ account: accounts[index] ?? '', secret })).sort((a, b) => a.account.localeCompare(b.account));
}
