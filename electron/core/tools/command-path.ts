import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError } from '../../../shared/errors';

type Env = Readonly<Record<string, string | undefined>>;

/** The login shell's PATH, asked once per process (a desktop app started from the dock lacks it). */
let loginPath: Promise<string | null> | null = null;

/**
 * What PATH a terminal would have: the login shell's (`$SHELL -lc`), so `npx`, `uvx` or `node`
 * installed by nvm, Homebrew or pipx are found as in the terminal. Null where there is no such
 * shell (Windows) or it does not answer within three seconds.
 */
export function loginShellPath(env: Env, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  if (platform === 'win32') return Promise.resolve(null);
  loginPath ??= new Promise((resolve) => {
    const shell = env.SHELL?.trim() || '/bin/sh';
    // A marker around the value: a login shell's profile may print its own lines.
    execFile(shell, ['-lc', 'printf "__ATELIER_PATH__%s__ATELIER_PATH__" "$PATH"'], { timeout: 3000, env: env as NodeJS.ProcessEnv }, (error, stdout) => {
      const match = /__ATELIER_PATH__(.*)__ATELIER_PATH__/s.exec(stdout ?? '');
      resolve(error || !match?.[1] ? null : match[1]);
    });
  });
  return loginPath;
}

/** PATH for a server: the login shell's entries first, then the process's own, each once. */
export async function serverPath(env: Env, platform: NodeJS.Platform = process.platform): Promise<string> {
  const separator = platform === 'win32' ? ';' : ':';
  const own = (platform === 'win32' ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  const login = (await loginShellPath(env, platform)) ?? '';
  return [...new Set([...login.split(separator), ...own.split(separator)].filter(Boolean))].join(separator);
}

/**
 * The program to start for `command`: a path as it is (relative to nothing: it must be absolute or
 * start with ./), a bare name looked up on `searchPath`, on Windows with its PATHEXT endings
 * (`npx` → `npx.cmd`). A command that is not found is an error that says where it was looked for.
 */
export async function resolveCommand(command: string, searchPath: string, env: Env, platform: NodeJS.Platform = process.platform): Promise<string> {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const endings = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').map((ending) => ending.toLowerCase())] : [''];
  const candidates = command.includes('/') || (platform === 'win32' && command.includes('\\'))
    ? endings.map((ending) => `${command}${ending}`)
    : searchPath
        .split(platform === 'win32' ? ';' : ':')
        .filter(Boolean)
        .flatMap((dir) => endings.map((ending) => pathApi.join(dir, `${command}${ending}`)));
  for (const candidate of candidates) {
    try {
      const stat = await fs.stat(candidate);
      if (!stat.isFile()) continue;
      if (platform !== 'win32') await fs.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new AtelierError(
    'invalid_request',
    `The program “${command}” was not found${command.includes('/') ? '' : ' on your PATH (as your terminal has it)'}.`,
    command === 'npx' || command === 'node'
      ? 'Install Node.js (https://nodejs.org), then start Atelier again; or give the full path, such as /usr/local/bin/npx.'
      : command === 'uvx' || command === 'uv'
        ? 'Install uv (https://docs.astral.sh/uv/), then start Atelier again; or give the full path.'
        : 'Install it, or give its full path.',
  );
}
