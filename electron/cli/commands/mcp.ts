import type { Command } from 'commander';
import { AtelierError, describeIssues } from '../../../shared/errors';
import { McpServerConfigSchema, type McpServerConfig } from '../../../shared/tools';
import { printable } from '../../../shared/text';
import { terminalLine } from '../../../shared/terminal-text';
import { maskUrlCredentials } from '../../../shared/url-credentials';
import { effectivePolicy } from '../../core/privacy/policy';
import { SecretStore } from '../../core/secrets/secret-store';
import { mcpEnvSecretName, toolServerEntries, ToolServers, toolServersInForce } from '../../core/tools/tool-servers';
import { classroomLockFor, egressRecorderFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { openSettingsStore } from './settings';

const ROUTE_WORDS = { local: 'this computer', eu: 'in the EU', 'non-eu': 'outside the EU' } as const;

export function registerMcpCommand(program: Command, io: CliIo): void {
  const mcp = program.command('mcp').description('tool servers (Model Context Protocol): list, add, remove, and the tools each offers');

  mcp
    .command('list')
    .description('the tool servers added, and where each one runs')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const settings = (await openSettingsStore(io)).get().settings;
      const policy = effectivePolicy(settings, policyFileFor(io).read());
      const servers = toolServerEntries(settings.mcp.servers, policy).map((server) => (server.transport === 'http' ? { ...server, url: maskUrlCredentials(server.url) } : server));
      if (options.json) {
        printJson(io, { servers });
        return;
      }
      if (servers.length === 0) io.stdout('No tool servers yet. Add one: atelier mcp add NAME -- COMMAND ARGS…  or  atelier mcp add NAME --url URL\n');
      for (const server of servers) {
        const what = server.transport === 'stdio' ? [server.command, ...server.args].map((part) => terminalLine(part, 200)).join(' ') : terminalLine(server.url, 300);
        io.stdout(`${server.name}  ${server.transport === 'stdio' ? 'local program' : 'address'}  ${what}  (${ROUTE_WORDS[server.routeClass]}${server.enabled ? '' : ', disabled'}${server.fromSchool ? ', from your school' : ''})\n`);
      }
    });

  mcp
    .command('add')
    .description('add a tool server: a program to start (after --), or an address (--url)')
    .argument('<name>', 'its name, such as files or wiki')
    .argument('[command...]', 'after --: the program and its arguments, such as -- npx -y @modelcontextprotocol/server-filesystem ~/Schule')
    .option('--url <url>', 'a remote server’s address (Streamable HTTP, or SSE for older servers)')
    .option('--env <VAR=value...>', 'an environment variable for a local server; its value goes to the keychain')
    .option('--replace', 'replace a server already added with this name')
    .addHelpText('after', '\nExamples:\n  atelier mcp add files -- npx -y @modelcontextprotocol/server-filesystem ~/Schule\n  atelier mcp add wiki --env WIKI_TOKEN=… -- npx -y wiki-mcp   (options before --)\n  atelier mcp add wiki --url https://mcp.school.example/mcp\n')
    .action(async (name: string, command: string[], options: { url?: string; env?: string[]; replace?: boolean }) => {
      if ((command.length > 0) === (options.url !== undefined)) {
        throw new AtelierError('invalid_request', 'Give either a program to start (after --) or an address (--url), not both or neither.', 'atelier mcp add files -- npx -y @modelcontextprotocol/server-filesystem ~/Schule   or   atelier mcp add wiki --url https://mcp.school.example/mcp');
      }
      const env = (options.env ?? []).map((pair) => {
        const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
        if (!match?.[1]) throw new AtelierError('invalid_request', `--env takes VAR=value, not "${printable(pair.split('=')[0] ?? '', 40)}…".`, 'Such as --env WIKI_TOKEN=… (the value is kept in the keychain).');
        return { name: match[1], value: match[2] ?? '' };
      });
      if (options.url !== undefined && env.length > 0) throw new AtelierError('invalid_request', '--env is for a local server (a program Atelier starts).', 'Leave out --env for an address.');
      const [program, ...args] = command;
      // Options after `--` are the program's: an --env there would become an argument, its secret in plain text.
      if (args.some((arg) => arg === '--env' || arg.startsWith('--env='))) {
        throw new AtelierError('invalid_request', '--env after -- would be passed to the program as an argument (and its value saved as text).', 'Put --env before --: atelier mcp add NAME --env VAR=value -- COMMAND ARGS…');
      }
      const parsed = McpServerConfigSchema.safeParse(
        options.url !== undefined ? { name, transport: 'http', url: options.url } : { name, transport: 'stdio', command: program, args, env: env.map((variable) => variable.name) },
      );
      if (!parsed.success) throw new AtelierError('invalid_request', `That tool server cannot be added: ${describeIssues(parsed.error.issues)}.`, 'See atelier mcp add --help.');
      const server: McpServerConfig = parsed.data;
      const store = await openSettingsStore(io);
      const secrets = SecretStore.fromEnvironment(io.env);
      // The environment's values go to the keychain first: a server listed without them would fail to start.
      for (const variable of env) await secrets.set(mcpEnvSecretName(name, variable.name), variable.value, { anyText: true });
      let replaced = false;
      await store.update(({ mcp: { servers } }) => {
        const found = servers.some((existing) => existing.name === name);
        if (found && !options.replace) throw new AtelierError('invalid_request', `There is a tool server “${name}” already.`, `Replace it with --replace, or remove it first: atelier mcp remove ${name}`);
        replaced = found;
        return { mcp: { servers: found ? servers.map((existing) => (existing.name === name ? server : existing)) : [...servers, server] } };
      });
      io.stdout(`${replaced ? 'Replaced' : 'Added'} the tool server “${name}”. See its tools: atelier mcp tools ${name}\n`);
    });

  mcp
    .command('remove')
    .description('remove a tool server (and its environment values from the keychain)')
    .argument('<name>', 'its name')
    .action(async (name: string) => {
      const store = await openSettingsStore(io);
      let removed: McpServerConfig | undefined;
      await store.update(({ mcp: { servers } }) => {
        removed = servers.find((server) => server.name === name);
        if (!removed) throw new AtelierError('invalid_request', `There is no tool server “${printable(name, 40)}”.`, 'See them with: atelier mcp list');
        return { mcp: { servers: servers.filter((server) => server.name !== name) } };
      });
      if (removed?.transport === 'stdio') {
        const secrets = SecretStore.fromEnvironment(io.env);
        for (const variable of removed.env) await secrets.delete(mcpEnvSecretName(name, variable)).catch(() => false);
      }
      io.stdout(`Removed the tool server “${name}”.\n`);
    });

  mcp
    .command('tools')
    .description('start or reach a tool server and list its tools')
    .argument('<name>', 'its name')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const store = await openSettingsStore(io);
      const servers = new ToolServers({
        servers: () => toolServersInForce(store.get().settings.mcp.servers, effectivePolicy(store.get().settings, policyFileFor(io).read())),
        policy: () => effectivePolicy(store.get().settings, policyFileFor(io).read()),
        env: io.env,
        secrets: SecretStore.fromEnvironment(io.env),
        onEgress: egressRecorderFor(io),
        lockForbids: () => classroomLockFor(io).pins()?.forbidTools ?? null,
      });
      try {
        const tools = await servers.listTools(name);
        if (options.json) {
          printJson(io, { server: name, tools });
          return;
        }
        if (tools.length === 0) io.stdout(`“${name}” offers no tools.\n`);
        for (const tool of tools) io.stdout(`${terminalLine(tool.name, 100)}${tool.description ? `  ${terminalLine(tool.description, 300)}` : ''}\n`);
      } finally {
        await servers.closeAll();
      }
    });
}
