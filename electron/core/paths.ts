import path from 'node:path';

/** The folder name Electron derives from productName; the CLI must find the same folder. */
export const APP_DIR_NAME = 'Atelier';

export interface DataDirContext {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
  cwd: string;
}

/**
 * Where Atelier keeps settings and data: `ATELIER_HOME` if set, else the folder Electron calls
 * `userData` for an app named "Atelier". Computed here rather than asked of Electron so that the
 * CLI, which runs without Electron, reads and writes the very same files as the app.
 */
export function resolveDataDir({ env, platform, homedir, cwd }: DataDirContext): string {
  const override = env.ATELIER_HOME?.trim();
  if (override) {
    return platform === 'win32' ? path.win32.resolve(cwd, override) : path.posix.resolve(cwd, override);
  }
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || path.win32.join(homedir, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR_NAME);
  }
  if (platform === 'darwin') {
    return path.posix.join(homedir, 'Library', 'Application Support', APP_DIR_NAME);
  }
  // XDG: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const configHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.config');
  return path.posix.join(configHome, APP_DIR_NAME);
}
