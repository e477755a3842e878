import { InvalidArgumentError, type Command } from 'commander';
import { printable } from '../../../shared/text';
import { terminalLine } from '../../../shared/terminal-text';
import { createRouterFor } from '../../core/chat/settings-router';
import { loadProviderConfig } from '../../core/config/load-provider-config';
import { DEFAULT_GATEWAY_PORT, startGateway } from '../../core/gateway/gateway-server';
import { gatewayModels } from '../../core/gateway/gateway-models';
import { ServeTokens } from '../../core/gateway/serve-tokens';
import { ProfileFixes } from '../../core/models/bedrock-profiles';
import { isRole } from '../../core/models/role-model';
import { effectivePolicy } from '../../core/privacy/policy';
import { guardCredentials } from '../../core/privacy/settings-guard';
import { SecretStore } from '../../core/secrets/secret-store';
import { classroomLockFor, databaseFor, dataDirFor, egressRecorderFor, healthFor, ledgerFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { modelForRole } from '../model-for-role';
import { CliExit, EXIT_FAILED, EXIT_INTERRUPTED } from '../exit-codes';
import { assistantLibraryFor } from './assistants';
import { openSettingsStore } from './settings';

function tokensFor(io: CliIo): ServeTokens {
  return new ServeTokens(databaseFor(io), SecretStore.fromEnvironment(io.env));
}

export function registerServeCommand(program: Command, io: CliIo): void {
  const serve = program
    .command('serve')
    .description('an OpenAI-compatible endpoint on this computer (loopback only): other tools chat through Atelier’s privacy tier, budget and record')
    .option('-p, --port <number>', `the port (default ${DEFAULT_GATEWAY_PORT})`, portArgument)
    .addHelpText(
      'after',
      `\nEvery client needs a token of its own:\n  atelier serve tokens add "VS Code"      # prints the token once; it is kept in the keychain\n  atelier serve --port ${DEFAULT_GATEWAY_PORT}\n  curl http://127.0.0.1:${DEFAULT_GATEWAY_PORT}/v1/chat/completions -H "Authorization: Bearer atl_…" -H "Content-Type: application/json" \\\n    -d '{"model":"local/llama3.2:3b","messages":[{"role":"user","content":"Hallo!"}]}'\n`,
    )
    .action(async (options: { port?: number }) => {
      const store = await openSettingsStore(io);
      const secrets = SecretStore.fromEnvironment(io.env);
      const library = await assistantLibraryFor(io);
      const profileFixes = await ProfileFixes.open(dataDirFor(io));
      const onEgress = egressRecorderFor(io);
      const router = createRouterFor(store, io.env, secrets, {
        bedrock: { profileFixes },
        onEgress,
        ledger: ledgerFor(io),
        health: healthFor(io),
        policyFile: policyFileFor(io),
        assistants: (id) => library.find(id),
      });
      const tokens = tokensFor(io);
      const gateway = await startGateway({
        router,
        tokens,
        port: options.port ?? store.get().settings.gateway.port,
        allowedOrigins: () => store.get().settings.gateway.allowedOrigins,
        models: gatewayModels(
          async () => {
            const current = (await store.current()).settings;
            return { config: await loadProviderConfig(current, io.env, secrets), policy: effectivePolicy(current, policyFileFor(io).read()) };
          },
          { onEgress, profileFixes },
        ),
        resolveRole: async (role) => (isRole(role) ? modelForRole(io, role, store) : null),
      });
      // Settings changed from another terminal (the tier, the budget, the origins) apply to the next request.
      const stopWatching = store.watch();
      const problem = effectivePolicy(store.get().settings, policyFileFor(io).read()).problem;
      if (problem) io.stderr(`Note: ${problem}\n`);
      io.stdout(`Atelier’s OpenAI-compatible endpoint is running: ${gateway.baseUrl}\n`);
      io.stdout(`Listening on ${gateway.addresses.join(' and ')} (this computer only). Model ids are Atelier’s: local/…, bedrock/…, or fast, advanced, extreme.\n`);
      if (tokens.list().length === 0) io.stderr('Note: there is no access token yet, so every request is refused. Make one: atelier serve tokens add NAME\n');
      io.stdout('Ctrl-C stops it.\n');
      await new Promise<void>((resolve) => {
        const stop = io.onInterrupt(() => {
          stop();
          resolve();
        });
      });
      stopWatching();
      await gateway.close();
      io.stdout('Stopped.\n');
      throw new CliExit(EXIT_INTERRUPTED);
    });

  const tokens = serve.command('tokens').description('access tokens for the endpoint, one per client: add, list, revoke');

  tokens
    .command('add')
    .description('make a token for a client (shown once; kept in the keychain)')
    .argument('<name>', 'the client, such as "VS Code": named in the egress record')
    .option('--json', 'print { name, token, masked, createdAt }')
    .action(async (name: string, options: { json?: boolean }) => {
      await guardCredentials(policyFileFor(io), classroomLockFor(io));
      const made = await tokensFor(io).add(name);
      if (options.json) {
        printJson(io, made);
        return;
      }
      io.stdout(`${made.token}\n`);
      io.stderr(`This is the token for “${terminalLine(made.name, 64)}”; it is shown this once. Give it to the client as its API key (Authorization: Bearer …).\n`);
      if (!made.inKeychain) io.stderr('Note: there is no keychain here, so the token is kept nowhere else: copy it now. It works all the same.\n');
    });

  tokens
    .command('list')
    .description('the tokens, masked, with when each was last used')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const list = tokensFor(io).list();
      if (options.json) {
        printJson(io, list);
        return;
      }
      if (list.length === 0) io.stdout('No tokens yet. Make one: atelier serve tokens add NAME\n');
      for (const token of list) io.stdout(`${terminalLine(token.name, 64)}  ${token.masked}  made ${token.createdAt.slice(0, 10)}  ${token.lastUsedAt ? `last used ${token.lastUsedAt.slice(0, 16).replace('T', ' ')}` : 'never used'}\n`);
    });

  tokens
    .command('revoke')
    .description('revoke a token: its client is refused from the next request on')
    .argument('<name>', 'the token’s name')
    .action(async (name: string) => {
      await guardCredentials(policyFileFor(io), classroomLockFor(io));
      const revoked = await tokensFor(io).revoke(name);
      if (!revoked) {
        io.stderr(`Error: There is no token named “${printable(name, 64)}”.\nHint: See them with: atelier serve tokens list\n`);
        throw new CliExit(EXIT_FAILED);
      }
      io.stdout(`Revoked “${terminalLine(name, 64)}”.\n`);
    });
}

function portArgument(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidArgumentError(`--port must be a whole number from 1 to 65535, such as ${DEFAULT_GATEWAY_PORT}, not "${printable(value, 40)}".`);
  }
  return port;
}
