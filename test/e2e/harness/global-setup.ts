import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/**
 * Builds the renderer once before any e2e test, with the same command the app's build uses and
 * without Vitest's NODE_ENV=test, so the tests drive the production bundle.
 */
export default async function setup(): Promise<void> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--only=renderer'], { cwd: repoRoot, env });
}
