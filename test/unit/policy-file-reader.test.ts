import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyFileReader } from '../../electron/core/privacy/policy-file';
import { tempDir } from '../support/temp-dir';

describe('the policy file reader', () => {
  it('reads the system’s policy whenever one is there: ATELIER_POLICY_FILE cannot displace it', async () => {
    const dir = await tempDir();
    const system = path.join(dir, 'system-policy.json');
    const mine = path.join(dir, 'my-policy.json');
    await fs.writeFile(mine, JSON.stringify({ tier: 'non_dsgvo' }));
    const reader = new PolicyFileReader(mine, true, system);
    // No system file (a machine without a school policy): the override applies.
    expect(reader.read()).toMatchObject({ state: 'valid', file: mine, policy: { tier: 'non_dsgvo' } });
    // The school's IT puts one in place: it applies from the next read on, whatever the variable says.
    await fs.writeFile(system, JSON.stringify({ tier: 'dsgvo_local', lockSettings: true }));
    expect(reader.read()).toMatchObject({ state: 'valid', file: system, policy: { tier: 'dsgvo_local' } });
    // Even a broken system file wins (the strictest tier then applies), and an override pointing nowhere changes nothing.
    await fs.writeFile(system, '{ not json');
    expect(reader.read()).toMatchObject({ state: 'invalid', file: system });
    expect(new PolicyFileReader(path.join(dir, 'nowhere.json'), true, system).read()).toMatchObject({ state: 'invalid', file: system });
    // A link that points nowhere at the system's path is not "no policy".
    await fs.rm(system);
    await fs.symlink(path.join(dir, 'gone.json'), system);
    expect(new PolicyFileReader(mine, true, system).read()).toMatchObject({ state: 'invalid', file: system, problem: 'it is a link to a file that does not exist' });
  });

  it('reads only the system’s file while told to (the class is locked)', async () => {
    const dir = await tempDir();
    const mine = path.join(dir, 'my-policy.json');
    await fs.writeFile(mine, JSON.stringify({ tier: 'non_dsgvo' }));
    let locked = true;
    const reader = new PolicyFileReader(mine, true, path.join(dir, 'no-system-policy.json'), () => locked);
    expect(reader.read()).toEqual({ state: 'none' });
    locked = false;
    expect(reader.read()).toMatchObject({ state: 'valid', file: mine });
  });

  it('reads UTF-16 (PowerShell 5.1’s > and Out-File) and a UTF-8 byte-order mark', async () => {
    const dir = await tempDir();
    const json = JSON.stringify({ tier: 'dsgvo_cloud' });
    for (const [name, bytes] of [
      ['utf16le-bom', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])],
      ['utf16le', Buffer.from(json, 'utf16le')],
      ['utf16be-bom', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()])],
      ['utf8-bom', Buffer.from(`\uFEFF${json}`)],
    ] as const) {
      const file = path.join(dir, `${name}.json`);
      await fs.writeFile(file, bytes);
      expect(new PolicyFileReader(file).read(), name).toMatchObject({ state: 'valid', policy: { tier: 'dsgvo_cloud' } });
    }
  });

  it('never reads something that is not a policy file: a folder, a device, something huge', async () => {
    const dir = await tempDir();
    expect(new PolicyFileReader(dir).read()).toMatchObject({ state: 'invalid', problem: 'it is not a regular file' });
    expect(new PolicyFileReader('/dev/zero').read()).toMatchObject({ state: 'invalid', problem: 'it is not a regular file' });
    const huge = path.join(dir, 'huge.json');
    await fs.writeFile(huge, Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(new PolicyFileReader(huge).read()).toMatchObject({ state: 'invalid', problem: expect.stringContaining('more than a policy file can be') as unknown });
  });
});
