import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The package's bin, as `npm run build` leaves it. */
export const builtCli = path.join(repoRoot, 'out/cli/atelier.js');

/**
 * Builds the CLI bundle (out/cli) the way `npm run cli` does. The build writes each file whole and
 * renames it into place, so test files that build it in parallel never run half a file.
 */
export async function buildCli(): Promise<string> {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--only=cli'], { cwd: repoRoot });
  return builtCli;
}
