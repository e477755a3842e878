import { InvalidArgumentError, type Command } from 'commander';
import { AtelierError, describeIssues } from '../../../shared/errors';
import { EndpointSchema } from '../../../shared/settings';
import { maskUrlCredentials, urlCredentialProblem } from '../../../shared/url-credentials';
import { endpointKeyVariable } from '../../core/config/provider-config';
import { loadProviderConfig } from '../../core/config/load-provider-config';
import { effectivePolicy } from '../../core/privacy/policy';
import { schoolServerStatus } from '../../core/school/school-status';
import { SecretStore } from '../../core/secrets/secret-store';
import { printable } from '../../../shared/text';
import { PriceSchema, type Price } from '../../../shared/usage';
import { egressRecorderFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { openSettingsStore } from './settings';

export function registerEndpointsCommand(program: Command, io: CliIo): void {
  const endpoints = program
    .command('endpoints')
    .description('OpenAI-compatible servers of your own (a school proxy, vLLM): list, add, remove');

  endpoints
    .command('list')
    .description('list the endpoints you added')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const list = (await openSettingsStore(io)).get().settings.endpoints;
      // Settings written before Atelier refused credentials in URLs may still hold some: never shown.
      const shown = list.map((endpoint) => ({ ...endpoint, baseUrl: maskUrlCredentials(endpoint.baseUrl) }));
      if (options.json) {
        printJson(io, shown);
        return;
      }
      if (shown.length === 0) io.stdout('No endpoints yet. Add one with: atelier endpoints add PREFIX URL\n');
      for (const endpoint of shown) {
        const price = endpoint.price ? `$${endpoint.price.input}/$${endpoint.price.output} per million tokens` : 'no price';
        const kind = endpoint.kind === 'litellm' ? '  LiteLLM (its budget per key applies, not this machine’s)' : '';
        io.stdout(`${endpoint.prefix}/…  ${endpoint.baseUrl}  ${endpoint.name}  ${price}${kind}  (key: atelier auth set endpoint:${endpoint.prefix}, or ${endpointKeyVariable(endpoint.prefix)})\n`);
      }
    });

  endpoints
    .command('add')
    .description('add an endpoint; its models are then PREFIX/MODEL')
    .argument('<prefix>', 'what its model ids start with, such as "school"')
    .argument('<url>', 'its base URL, such as https://llm.school.example/v1')
    .option('--name <name>', 'a name to show (default: the prefix)')
    .option('--replace', 'replace an endpoint already added with this prefix')
    .option('--price <input/output>', 'what its models cost, US dollars per million tokens in/out, such as 0.50/1.50 (without it their cost is unknown)', priceArgument)
    .addHelpText('after', '\nA key for the endpoint goes to the keychain, never into the URL:\n  atelier auth set endpoint:PREFIX < key.txt\n')
    .action(async (prefix: string, url: string, options: { name?: string; replace?: boolean; price?: Price }) => {
      const parsed = EndpointSchema.safeParse({ prefix, baseUrl: url, name: options.name ?? prefix, ...(options.price && { price: options.price }) });
      if (!parsed.success) {
        // The issues name what is wrong and never quote the URL, which may hold a password.
        const credentials = urlCredentialProblem(url) !== null;
        throw new AtelierError(
          'invalid_request',
          `That endpoint cannot be added: ${describeIssues(parsed.error.issues)}.`,
          credentials && /^[a-z][a-z0-9-]{0,31}$/.test(prefix)
            ? `Add it with the URL alone (no user name, password or key in it), then save the key in the keychain: atelier auth set endpoint:${prefix} < key.txt`
            : undefined,
        );
      }
      // The store checks the school's policy and the classroom lock, under the settings lock.
      const store = await openSettingsStore(io);
      let existing = false;
      // Decided on the list as it is on disk, under the settings lock: another process may have
      // added the same prefix a moment ago.
      await store.update(({ endpoints: list }) => {
        const found = list.find((endpoint) => endpoint.prefix === prefix);
        if (found && !options.replace) {
          throw new AtelierError(
            'invalid_request',
            `There is already an endpoint "${prefix}" (${maskUrlCredentials(found.baseUrl)}); it was left as it is.`,
            `Replace it with: atelier endpoints add ${prefix} URL --replace (or remove it first: atelier endpoints remove ${prefix}).`,
          );
        }
        existing = found !== undefined;
        // Replaced in place, so the list keeps its order.
        return { endpoints: found ? list.map((endpoint) => (endpoint.prefix === prefix ? parsed.data : endpoint)) : [...list, parsed.data] };
      });
      io.stdout(
        `${existing ? 'Replaced' : 'Added'} ${prefix}: model ids ${prefix}/MODEL go to ${parsed.data.baseUrl}.\n` +
          `If it needs a key, save it in the keychain: atelier auth set endpoint:${prefix} < key.txt (or set ${endpointKeyVariable(prefix)} in the environment).\n`,
      );
      io.stdout(`${await detectLiteLlm(io, store, prefix)}\n`);
    });

  endpoints
    .command('remove')
    .description('remove an endpoint')
    .argument('<prefix>', 'the prefix it was added with')
    .action(async (prefix: string) => {
      const store = await openSettingsStore(io);
      await store.update(({ endpoints: list }) => {
        if (!list.some((endpoint) => endpoint.prefix === prefix)) {
          throw new AtelierError('invalid_request', `There is no endpoint "${printable(prefix, 40)}".`, 'Run "atelier endpoints list" to see them.');
        }
        return { endpoints: list.filter((endpoint) => endpoint.prefix !== prefix) };
      });
      io.stdout(`Removed ${prefix}.\n`);
    });
}

/**
 * Asks the endpoint just added whether it is a LiteLLM proxy (its `/key/info` answer, with the
 * key where one is saved already; only where the privacy tier allows the endpoint, and in the
 * egress record), and notes `kind: "litellm"` in its settings when it is: its budgets and limits
 * per key then apply instead of this machine's budget. Returns what to tell the user.
 */
async function detectLiteLlm(io: CliIo, store: Awaited<ReturnType<typeof openSettingsStore>>, prefix: string): Promise<string> {
  const settings = store.get().settings;
  const config = await loadProviderConfig(settings, io.env, SecretStore.fromEnvironment(io.env));
  const [status] = await schoolServerStatus(config, effectivePolicy(settings, policyFileFor(io).read()), { only: prefix, onEgress: egressRecorderFor(io), timeoutMs: 5000 });
  const litellm = status?.litellm === true;
  // Said only where it changes: an endpoint that stopped being LiteLLM loses the mark too.
  if (litellm !== (settings.endpoints.find((endpoint) => endpoint.prefix === prefix)?.kind === 'litellm')) {
    await store.update(({ endpoints: list }) => ({
      endpoints: list.map((endpoint) => {
        if (endpoint.prefix !== prefix) return endpoint;
        const { kind: _kind, ...rest } = endpoint;
        return litellm ? { ...rest, kind: 'litellm' as const } : rest;
      }),
    }));
  }
  if (litellm) return 'It is a LiteLLM proxy: its budget and limits per key apply (atelier doctor shows them), and this machine’s budget does not count its answers again.';
  if (status?.litellm === false) return 'It is not a LiteLLM proxy (it has no /key/info), so this machine’s budget counts its answers, at the price you give it.';
  return `Atelier could not ask it whether it is a LiteLLM proxy${status?.error ? ` (${status.error.message})` : ''}; add it again with --replace to ask once more.`;
}

/** `0.50/1.50`: US dollars per million input and output tokens. */
function priceArgument(value: string): Price {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  const price = match ? PriceSchema.safeParse({ input: Number(match[1]), output: Number(match[2]) }) : null;
  if (!price?.success) {
    throw new InvalidArgumentError(`--price must be US dollars per million input and output tokens, such as 0.50/1.50, not "${printable(value, 40)}".`);
  }
  return price.data;
}
