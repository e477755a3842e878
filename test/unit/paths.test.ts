import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../electron/core/paths';

const base = { homedir: '/home/ada', cwd: '/work' };

describe('resolveDataDir (the same folder for app and CLI)', () => {
  it('uses ATELIER_HOME when set, resolved against the working directory', () => {
    expect(resolveDataDir({ ...base, platform: 'linux', env: { ATELIER_HOME: '/srv/atelier' } })).toBe('/srv/atelier');
    expect(resolveDataDir({ ...base, platform: 'linux', env: { ATELIER_HOME: 'class-5b' } })).toBe('/work/class-5b');
    expect(resolveDataDir({ ...base, platform: 'darwin', env: { ATELIER_HOME: '  ' } })).toBe(
      '/home/ada/Library/Application Support/Atelier',
    );
  });

  it('matches Electron’s userData folder on each platform', () => {
    expect(resolveDataDir({ ...base, platform: 'linux', env: {} })).toBe('/home/ada/.config/Atelier');
    expect(resolveDataDir({ ...base, platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' } })).toBe('/cfg/Atelier');
    expect(resolveDataDir({ ...base, platform: 'darwin', env: {} })).toBe('/home/ada/Library/Application Support/Atelier');
    expect(
      resolveDataDir({ homedir: 'C:\\Users\\ada', cwd: 'C:\\', platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' } }),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\Atelier');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec requires', () => {
    expect(resolveDataDir({ ...base, platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' } })).toBe('/home/ada/.config/Atelier');
  });
});
