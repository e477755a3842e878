import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Every file under `dir` (settings, rejected copies, logs, caches) whose bytes contain the secret,
 * as is or base64-encoded. Tests expect none: secrets live in the keychain only.
 */
export async function filesContaining(dir: string, secret: string): Promise<string[]> {
  const needles = [Buffer.from(secret), Buffer.from(Buffer.from(secret).toString('base64'))];
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const bytes = await fs.readFile(full);
        if (needles.some((needle) => bytes.includes(needle))) found.push(full);
      }
    }
  };
  await walk(dir);
  return found;
}
