import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Vitest global setup: the environment every test runs in, inherited by the test workers and by
 * the processes the tests start (the CLI, secret-tool).
 *
 * - The school policy file: none, unless a test writes one.
 * - AWS: the SDK's default chain never asks the EC2 instance metadata service (no traffic to
 *   169.254.169.254 from a test), and never reads the developer's own ~/.aws files.
 * - The keychain: a private D-Bus session bus with gnome-keyring's Secret Service, unlocked, its
 *   files in a temporary folder, so tests use the real keychain API and never the developer's.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-test-env-'));
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = path.join(home, 'no-aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, 'no-aws-credentials');
  for (const variable of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE']) {
    delete process.env[variable];
  }
  process.env.ATELIER_KEYCHAIN_SERVICE = 'Atelier-test';
  // Never the machine's own school policy (/etc/atelier/policy.json): tests that need one write it.
  process.env.ATELIER_POLICY_FILE = path.join(home, 'no-policy.json');
  if (process.platform !== 'linux') return () => fs.rm(home, { recursive: true, force: true });

  const children: ChildProcess[] = [];
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(bus);
  const address = await new Promise<string>((resolve, reject) => {
    bus.once('error', reject);
    bus.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim().split('\n')[0] ?? ''));
  });
  process.env.DBUS_SESSION_BUS_ADDRESS = address;

  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_RUNTIME_DIR: home, DBUS_SESSION_BUS_ADDRESS: address },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  children.push(keyring);
  keyring.stdin?.end('atelier-test-keyring-password');
  await waitForSecretService(address);

  return async () => {
    for (const child of children.reverse()) child.kill();
    await fs.rm(home, { recursive: true, force: true });
  };
}

/**
 * Polls until the Secret Service can store and return a secret. Searching is not enough: it can
 * answer before gnome-keyring has unlocked its default collection, and an early write would then
 * meet an unlock prompt that no one can answer.
 */
async function waitForSecretService(address: string): Promise<void> {
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address };
  const tool = (args: string[], input?: string) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn('secret-tool', args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout }));
      child.on('error', () => resolve({ code: -1, stdout: '' }));
      child.stdin?.end(input ?? '');
    });
  for (let attempt = 0; attempt < 100; attempt++) {
    const stored = await tool(['store', '--label=atelier-probe', 'service', 'atelier-probe', 'username', 'probe'], 'ready');
    if (stored.code === 0 && (await tool(['lookup', 'service', 'atelier-probe', 'username', 'probe'])).stdout === 'ready') {
      await tool(['clear', 'service', 'atelier-probe', 'username', 'probe']);
      return;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('gnome-keyring did not start: install gnome-keyring, dbus and libsecret-tools (see .ci/run).');
}
