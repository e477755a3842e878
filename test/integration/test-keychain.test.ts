import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { nameOwnerPid } from '../support/private-keychain';
import setup from '../support/test-environment';

const run = promisify(execFile);

/** A D-Bus call on the bus at `address`; the reply's text, or the error's. */
async function busCall(address: string, method: string, ...args: string[]): Promise<string> {
  return run('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', `org.freedesktop.DBus.${method}`, ...args], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address },
  }).then(
    ({ stdout }) => stdout,
    (error: unknown) => String((error as { stderr?: string }).stderr ?? error),
  );
}

function alive(pid: number): boolean {
  // A zombie (ended, not yet reaped by an init that never reaps) counts as ended.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The tests' own keychain (the vitest global setup), started as on a fresh machine: an empty
 * HOME, no session bus of the user's. The system's D-Bus service files would let the bus start a
 * second, locked gnome-keyring that can take the Secret Service's name first (.ci/run failed
 * with "gnome-keyring did not start"); the private bus must not start anything.
 */
describe.skipIf(process.platform !== 'linux')('the private keychain of the test setup', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('activates no D-Bus services, is owned by our unlocked keyring, and its teardown ends both daemons', async () => {
    const machine = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-fresh-home-'));
    process.env.HOME = machine;
    process.env.XDG_RUNTIME_DIR = machine;
    delete process.env.DBUS_SESSION_BUS_ADDRESS;
    try {
      const teardown = await setup();
      const address = process.env.DBUS_SESSION_BUS_ADDRESS ?? '';
      expect(address).toMatch(/^unix:path=/);

      const owner = await nameOwnerPid(address, 'org.freedesktop.secrets');
      const busPid = Number(/uint32 (\d+)/.exec(await busCall(address, 'GetConnectionUnixProcessID', 'string:org.freedesktop.DBus'))?.[1]);
      expect(owner).not.toBeNull();
      expect((await fs.readFile(`/proc/${owner}/cmdline`, 'utf8')).split('\0')).toEqual(['gnome-keyring-daemon', '--foreground', '--unlock', '--components=secrets', '']);
      // What answered the early secret-tool calls before: service activation. Now there is none.
      expect(await busCall(address, 'StartServiceByName', 'string:org.freedesktop.secrets', 'uint32:0')).toContain('org.freedesktop.DBus.Error.ServiceUnknown');
      expect(await busCall(address, 'ListActivatableNames')).not.toContain('org.freedesktop.secrets');

      await teardown();
      expect({ bus: alive(busPid), keyring: alive(owner ?? 0) }).toEqual({ bus: false, keyring: false });
    } finally {
      await fs.rm(machine, { recursive: true, force: true });
    }
  });
});
