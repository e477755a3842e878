import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Where the Ollama installers put the program, besides the PATH. */
function knownLocations(): string[] {
  switch (process.platform) {
    case 'darwin':
      return ['/Applications/Ollama.app/Contents/Resources/ollama', '/usr/local/bin/ollama', '/opt/homebrew/bin/ollama'];
    case 'win32':
      return [path.join(process.env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'Programs', 'Ollama', 'ollama.exe')];
    default:
      return ['/usr/local/bin/ollama', '/usr/bin/ollama', '/snap/bin/ollama'];
  }
}

/** The path of the `ollama` program on this computer, or null if it is not installed. */
export async function findOllamaBinary(pathVariable = process.env.PATH ?? ''): Promise<string | null> {
  const name = process.platform === 'win32' ? 'ollama.exe' : 'ollama';
  const candidates = [...pathVariable.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name)), ...knownLocations()];
  for (const candidate of candidates) {
    try {
      await fs.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
