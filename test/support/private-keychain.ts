import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A private D-Bus session bus with an unlocked gnome-keyring on it, all its files under one folder. */
export interface PrivateKeychain {
  /** DBUS_SESSION_BUS_ADDRESS of the private bus. */
  address: string;
  busPid: number;
  keyringPid: number;
  /** Ends the keyring and the bus and waits until both processes have exited. */
  stop(): Promise<void>;
}

/**
 * The bus configuration: a session bus on a socket in `dir`, open to this user, and no service
 * activation at all (no <servicedir>, no <standard_session_servicedirs/>). With the system's
 * service files, the bus answers the first call to org.freedesktop.secrets by starting a second
 * gnome-keyring (`--start --foreground --components=secrets`, from
 * /usr/share/dbus-1/services/org.freedesktop.secrets.service) with the user's real HOME; when
 * that one takes the name before ours, every secret goes to a locked keyring and the tests fail
 * with "gnome-keyring did not start". Without activation, only the daemon we start can own it.
 */
export function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/**
 * Starts the bus and the keyring (its files in `dir`) and returns once that keyring owns
 * org.freedesktop.secrets and can store and return a secret. On failure, whatever was started is
 * ended before the error is thrown, so a failed start leaves no process behind.
 */
export async function startPrivateKeychain(dir: string): Promise<PrivateKeychain> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await end(child);
  };
  try {
    const config = path.join(dir, 'session-bus.conf');
    await fs.writeFile(config, busConfig(path.join(dir, 'bus.socket')));
    const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--nopidfile', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(bus);
    const address = await firstLine(bus, 'dbus-daemon');

    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: { ...process.env, HOME: dir, XDG_DATA_HOME: path.join(dir, 'data'), XDG_RUNTIME_DIR: dir, DBUS_SESSION_BUS_ADDRESS: address },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(keyring);
    keyring.stdin?.end('atelier-test-keyring-password');
    await waitForSecretService(address, keyring);
    return { address, busPid: bus.pid ?? -1, keyringPid: keyring.pid ?? -1, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The first line a daemon prints (the bus address), or its error if it ends first. */
function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => reject(new Error(`${name} could not start: ${error.message} (install dbus, see .ci/run).`)));
    child.once('exit', (code) => reject(new Error(`${name} ended with ${code}: ${stderr.trim()}`)));
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim().split('\n')[0] ?? ''));
  });
}

/** Ends a child process and waits for it; SIGKILL when it does not end on SIGTERM within 5 s. */
async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

type ToolResult = { code: number | null; stdout: string };

function tool(command: string, args: string[], address: string, input = ''): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address }, stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
    child.on('error', () => resolve({ code: -1, stdout: '' }));
    // A tool that exits without reading its input (lookup) must not fail the write with EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/** Asks the bus which process owns `name`; null while no one does. */
export async function nameOwnerPid(address: string, name: string): Promise<number | null> {
  const call = (method: string, argument: string) => tool('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', `org.freedesktop.DBus.${method}`, `string:${argument}`], address);
  const owner = /string "([^"]+)"/.exec((await call('GetNameOwner', name)).stdout)?.[1];
  if (owner === undefined) return null;
  const pid = /uint32 (\d+)/.exec((await call('GetConnectionUnixProcessID', owner)).stdout)?.[1];
  return pid === undefined ? null : Number(pid);
}

/**
 * Polls until our keyring owns org.freedesktop.secrets and can store and return a secret.
 * Searching is not enough: it can answer before gnome-keyring has unlocked its default
 * collection, and an early write would then meet an unlock prompt that no one can answer.
 */
async function waitForSecretService(address: string, keyring: ChildProcess): Promise<void> {
  const secretTool = (args: string[], input?: string) => tool('secret-tool', args, address, input);
  for (let attempt = 0; attempt < 200; attempt++) {
    if (keyring.exitCode !== null || keyring.signalCode !== null) break;
    const owner = await nameOwnerPid(address, 'org.freedesktop.secrets');
    if (owner !== null && owner !== keyring.pid) {
      throw new Error(`org.freedesktop.secrets on the private bus belongs to process ${owner}, not to the test keyring (${keyring.pid ?? '?'}).`);
    }
    if (owner === keyring.pid) {
      const stored = await secretTool(['store', '--label=atelier-probe', 'service', 'atelier-probe', 'username', 'probe'], 'ready');
      if (stored.code === 0 && (await secretTool(['lookup', 'service', 'atelier-probe', 'username', 'probe'])).stdout === 'ready') {
        await secretTool(['clear', 'service', 'atelier-probe', 'username', 'probe']);
        return;
      }
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('gnome-keyring did not start: install gnome-keyring, dbus (dbus-daemon, dbus-send) and libsecret-tools (see .ci/run).');
}
