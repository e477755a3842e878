import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPrivateKeychain, type PrivateKeychain } from './private-keychain';

/**
 * Vitest global setup: the environment every test runs in, inherited by the test workers and by
 * the processes the tests start (the CLI, secret-tool).
 *
 * - The school policy file: none, unless a test writes one.
 * - AWS: the SDK's default chain never asks the EC2 instance metadata service (no traffic to
 *   169.254.169.254 from a test), and never reads the developer's own ~/.aws files.
 * - The keychain: a private D-Bus session bus with gnome-keyring's Secret Service, unlocked, its
 *   files in a temporary folder, so tests use the real keychain API and never the developer's.
 *   The bus activates no services, so no other keyring can take the Secret Service's name (see
 *   private-keychain.ts); the teardown ends both daemons and waits for them.
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

  let keychain: PrivateKeychain;
  try {
    keychain = await startPrivateKeychain(home);
  } catch (error) {
    await fs.rm(home, { recursive: true, force: true });
    throw error;
  }
  process.env.DBUS_SESSION_BUS_ADDRESS = keychain.address;

  return async () => {
    await keychain.stop();
    await fs.rm(home, { recursive: true, force: true });
  };
}
