import { version } from '../../package.json';
import type { AppInfo } from '../../shared/app-info';

export const APP_NAME = 'Atelier';
export const APP_VERSION: string = version;

/** Describes this installation; `runtime` differs between the app, the CLI and the tests. */
export function describeApp(dataDir: string, runtime: AppInfo['runtime']): AppInfo {
  return {
    name: APP_NAME,
    version: APP_VERSION,
    platform: process.platform,
    arch: process.arch,
    dataDir,
    runtime,
  };
}

/** The runtime as seen from plain Node (the CLI and the tests). */
export function nodeRuntime(): AppInfo['runtime'] {
  return { node: process.versions.node, electron: null, chrome: null };
}
