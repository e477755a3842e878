import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

function loadConfig(): Record<string, unknown> {
  return parse(fs.readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
}

function validator() {
  // electron-builder's own schema, as shipped with the version we install.
  const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

describe('electron-builder.yml', () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    const validate = validator();
    const valid = validate(loadConfig());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('flips Electron’s fuses as the security checklist asks: no run-as-Node, no NODE_OPTIONS or inspector, asar only and checked', () => {
    expect(loadConfig().electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('is checked for real: a misspelt key fails the schema', () => {
    const validate = validator();
    expect(validate({ ...loadConfig(), asarUnpak: ['**/*.node'] })).toBe(false);
  });

  it('targets Linux, Windows and macOS and unpacks native modules', () => {
    const config = loadConfig() as {
      appId: string;
      productName: string;
      linux: { target: string[] };
      win: { target: string[] };
      mac: { target: string[]; entitlements: string };
      asarUnpack: string[];
      directories: { buildResources: string };
    };
    expect(config.productName).toBe('Atelier');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.directories.buildResources).toBe('build');
    expect(fs.existsSync(path.join(repoRoot, config.mac.entitlements))).toBe(true);
  });

  it('packages the entry point that package.json names', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
    expect(loadConfig().files).toContain('out/**/*');
  });
});
