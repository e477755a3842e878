import path from 'node:path';
import type { Command } from 'commander';
import { AtelierError, describeIssues } from '../../../shared/errors';
import { maskSecret, SecretNameSchema } from '../../../shared/secrets';
import { loadProviderConfig, secretNamesFor } from '../../core/config/load-provider-config';
import { ProfileFixes } from '../../core/models/bedrock-profiles';
import { effectivePolicy } from '../../core/privacy/policy';
import { guardCredentials } from '../../core/privacy/settings-guard';
import { testConnection } from '../../core/providers/test-connection';
import { importAwsAccessKeyCsv, MAX_CSV_BYTES } from '../../core/secrets/aws-csv';
import { SecretStore } from '../../core/secrets/secret-store';
import { classroomLockFor, dataDirFor, egressRecorderFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { CliExit, EXIT_FAILED, EXIT_USAGE } from '../exit-codes';
import { openSettingsStore } from './settings';
import { readStart } from '../user-file';

/** The environment variable each secret may also come from, for `auth list`. */
const ENV_FOR: Record<string, string> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  openrouter: 'OPENROUTER_API_KEY',
  'bedrock-api-key': 'AWS_BEARER_TOKEN_BEDROCK',
  'aws-access-key-id': 'AWS_ACCESS_KEY_ID',
  'aws-secret-access-key': 'AWS_SECRET_ACCESS_KEY',
  'aws-session-token': 'AWS_SESSION_TOKEN',
};

function checkName(name: string): string {
  const parsed = SecretNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new AtelierError(
      'invalid_request',
      `"${name}" is not a credential Atelier keeps: ${describeIssues(parsed.error.issues)}.`,
      `Names: ${Object.keys(ENV_FOR).join(', ')}, or endpoint:<prefix> for an endpoint you added.`,
    );
  }
  return parsed.data;
}

export function registerAuthCommand(program: Command, io: CliIo): void {
  const auth = program.command('auth').description('credentials in the OS keychain: set, list, remove (never on the command line)');

  auth
    .command('set')
    .description('save a credential in the keychain, read from standard input')
    .argument('<name>', `${Object.keys(ENV_FOR).join(', ')}, or endpoint:<prefix>`)
    .addHelpText('after', '\nThe secret is read from standard input, so it never appears in your shell history or the process list:\n  atelier auth set anthropic < key.txt\n  pbpaste | atelier auth set openai\n')
    .action(async (name: string) => {
      const secretName = checkName(name);
      await guardCredentials(policyFileFor(io), classroomLockFor(io), secretName);
      if (io.stdin.isTTY) io.stderr(`Paste the value for ${secretName}, then press Enter and Ctrl-D:\n`);
      const value = (await io.stdin.readAll()).trim();
      const stored = await SecretStore.fromEnvironment(io.env).set(secretName, value);
      io.stdout(`Saved ${secretName} in the keychain (${stored.masked}).\n`);
    });

  auth
    .command('import-aws-csv')
    .description('save the access key from the CSV the AWS console gives you (the file itself is not kept)')
    .argument('<file>', 'the downloaded CSV, such as teacher_accessKeys.csv')
    .action(async (file: string) => {
      await guardCredentials(policyFileFor(io), classroomLockFor(io));
      let bytes: Uint8Array;
      try {
        bytes = await readStart(path.resolve(io.cwd, file), MAX_CSV_BYTES + 1);
      } catch (error) {
        throw new AtelierError('invalid_request', `Atelier could not read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`, 'Check the path of the downloaded CSV.');
      }
      // The bytes, not text: the parser tells a binary file from a CSV, and echoes neither.
      const { accessKeyIdMasked } = await importAwsAccessKeyCsv(bytes, SecretStore.fromEnvironment(io.env));
      io.stdout(`Saved the AWS access key ${accessKeyIdMasked} in the keychain. You can delete the CSV now.\n`);
    });

  auth
    .command('test')
    .description('make a minimal real call to a provider and say whether it works, and if not, what to do')
    .argument('<provider>', 'local, bedrock, anthropic, openai, openrouter, or an endpoint prefix')
    .option('--json', 'print JSON instead of text')
    .action(async (provider: string, options: { json?: boolean }) => {
      const settings = (await openSettingsStore(io)).get().settings;
      const config = await loadProviderConfig(settings, io.env, SecretStore.fromEnvironment(io.env));
      const result = await testConnection(provider, config, {
        policy: effectivePolicy(settings, policyFileFor(io).read()),
        onEgress: egressRecorderFor(io),
        profileFixes: await ProfileFixes.open(dataDirFor(io)),
      });
      // A name that is no provider is a wrong argument: said once, exit 2.
      if (result.error?.code === 'invalid_request' && !options.json) throw new AtelierError(result.error.code, result.error.message, result.error.hint);
      if (options.json) printJson(io, result);
      else {
        io.stdout(`${result.ok ? 'OK' : 'Failed'}: ${result.detail}\n`);
        if (result.error) io.stdout(`${result.error.message}\n${result.error.hint ? `Hint: ${result.error.hint}\n` : ''}`);
      }
      if (!result.ok) throw new CliExit(result.error?.code === 'invalid_request' ? EXIT_USAGE : EXIT_FAILED);
    });

  auth
    .command('list')
    .description('each credential: where it comes from, masked')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const settings = (await openSettingsStore(io)).get().settings;
      const store = SecretStore.fromEnvironment(io.env);
      const keychain = await store.keychainStatus();
      const saved = keychain.available ? await store.list(secretNamesFor(settings).filter((name) => name.startsWith('endpoint:'))) : [];
      const credentials = [
        ...saved.map((secret) => ({ name: secret.name, source: secret.storage, masked: secret.masked })),
        ...Object.entries(ENV_FOR).flatMap(([name, variable]) => {
          const value = io.env[variable]?.trim();
          return value ? [{ name, source: `environment (${variable})`, masked: maskSecret(value) }] : [];
        }),
      ];
      if (options.json) {
        printJson(io, { keychain, credentials });
        return;
      }
      io.stdout(keychain.available ? `Keychain: ${keychain.backend}\n` : `Keychain: unavailable. ${keychain.problem} ${keychain.hint}\n`);
      if (credentials.length === 0) io.stdout('No credentials yet. Save one with: atelier auth set anthropic < key.txt\n');
      for (const credential of credentials) io.stdout(`${credential.name.padEnd(22)} ${credential.masked.padEnd(12)} ${credential.source}\n`);
    });

  auth
    .command('remove')
    .description('delete a credential from the keychain')
    .argument('<name>', 'the credential to delete')
    .action(async (name: string) => {
      const secretName = checkName(name);
      await guardCredentials(policyFileFor(io), classroomLockFor(io), secretName);
      const removed = await SecretStore.fromEnvironment(io.env).delete(secretName);
      if (!removed) throw new AtelierError('invalid_request', `There is no ${secretName} in the keychain.`, 'Run "atelier auth list" to see what is saved.');
      io.stdout(`Removed ${secretName} from the keychain.\n`);
    });
}
