import type { Command } from 'commander';
import { AtelierError, describeIssues } from '../../../shared/errors';
import { EndpointSchema } from '../../../shared/settings';
import { endpointKeyVariable } from '../../core/config/provider-config';
import { assertSettingsChangeAllowed } from '../../core/privacy/settings-guard';
import { classroomLocked, policyFileFor, printJson, type CliIo } from '../cli-context';
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
      if (options.json) {
        printJson(io, list);
        return;
      }
      if (list.length === 0) io.stdout('No endpoints yet. Add one with: atelier endpoints add PREFIX URL\n');
      for (const endpoint of list) {
        io.stdout(`${endpoint.prefix}/…  ${endpoint.baseUrl}  ${endpoint.name}  (key: ${endpointKeyVariable(endpoint.prefix)})\n`);
      }
    });

  endpoints
    .command('add')
    .description('add an endpoint; its models are then PREFIX/MODEL')
    .argument('<prefix>', 'what its model ids start with, such as "school"')
    .argument('<url>', 'its base URL, such as https://llm.school.example/v1')
    .option('--name <name>', 'a name to show (default: the prefix)')
    .action(async (prefix: string, url: string, options: { name?: string }) => {
      const parsed = EndpointSchema.safeParse({ prefix, baseUrl: url, name: options.name ?? prefix });
      if (!parsed.success) {
        throw new AtelierError('invalid_request', `That endpoint cannot be added: ${describeIssues(parsed.error.issues)}.`);
      }
      assertSettingsChangeAllowed({ endpoints: [] }, policyFileFor(io).read(), await classroomLocked(io));
      const store = await openSettingsStore(io);
      const others = store.get().settings.endpoints.filter((endpoint) => endpoint.prefix !== prefix);
      await store.update({ endpoints: [...others, parsed.data] });
      io.stdout(
        `Added ${prefix}: model ids ${prefix}/MODEL go to ${parsed.data.baseUrl}.\n` +
          `If it needs a key, set ${endpointKeyVariable(prefix)} in the environment.\n`,
      );
    });

  endpoints
    .command('remove')
    .description('remove an endpoint')
    .argument('<prefix>', 'the prefix it was added with')
    .action(async (prefix: string) => {
      assertSettingsChangeAllowed({ endpoints: [] }, policyFileFor(io).read(), await classroomLocked(io));
      const store = await openSettingsStore(io);
      const list = store.get().settings.endpoints;
      if (!list.some((endpoint) => endpoint.prefix === prefix)) {
        throw new AtelierError('invalid_request', `There is no endpoint "${prefix}".`, 'Run "atelier endpoints list" to see them.');
      }
      await store.update({ endpoints: list.filter((endpoint) => endpoint.prefix !== prefix) });
      io.stdout(`Removed ${prefix}.\n`);
    });
}
