import fs from 'node:fs/promises';
import path from 'node:path';

/** No piece of a secret this long may be shown anywhere (issue 11: output, logs, files, renderer). */
export const SHOWN_RUN_LIMIT = 8;

/**
 * The longest piece of `secret` that appears in `text`, by brute force: the oracle for the
 * scrubber, so it shares none of its code.
 */
export function longestSecretRun(text: string, secret: string): string {
  let best = '';
  for (let start = 0; start < secret.length; start += 1) {
    for (let end = start + best.length + 1; end <= secret.length; end += 1) {
      const piece = secret.slice(start, end);
      if (!text.includes(piece)) break;
      best = piece;
    }
  }
  return best;
}

/** Each secret with the longest piece of it found in `text`, for secrets where that piece is too long. */
export function secretRunsIn(text: string, secrets: readonly string[]): { secret: string; shown: string }[] {
  return secrets.map((secret) => ({ secret, shown: longestSecretRun(text, secret) })).filter(({ shown }) => shown.length >= SHOWN_RUN_LIMIT);
}

/** Every file under `dir` (settings, databases, logs) that holds a piece of 8 or more characters of a secret. */
export async function filesWithSecretRuns(dir: string, secrets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && secretRunsIn((await fs.readFile(full)).toString('latin1'), secrets).length > 0) found.push(full);
    }
  };
  await walk(dir);
  return found;
}
