import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What the Secret Service holds for a service, as `secret-tool` (libsecret's own CLI) sees it. */
export async function keychainEntries(service: string): Promise<{ account: string; secret: string }[]> {
  const { stdout, stderr } = await run('secret-tool', ['search', '--all', '--unlock', 'service', service]).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  const text = `${stdout}\n${stderr}`;
  const entries: { account: string; secret: string }[] = [];
  for (const block of text.split(/^\[/m).slice(1)) {
    const account = /^attribute\.username = (.*)$/m.exec(block)?.[1];
    const secret = /^secret = (.*)$/m.exec(block)?.[1];
    if (account !== undefined && secret !== undefined) entries.push({ account, secret });
  }
  return entries;
}
