import { Command, CommanderError } from 'commander';
import { AtelierError, INTERNAL_ERROR } from '../../shared/errors';
import { APP_VERSION } from '../core/app-info';
import { environmentSecrets, scrubPayload, scrubSecrets } from '../core/secrets/scrub';
import { inForce, type CliIo } from './cli-context';
import { registerAuthCommand } from './commands/auth';
import { registerChatCommand } from './commands/chat';
import { registerAssistantsCommand } from './commands/assistants';
import { registerServeCommand } from './commands/serve';
import { registerMcpCommand } from './commands/mcp';
import { registerConversationsCommand } from './commands/conversations';
import { registerDoctorCommand } from './commands/doctor';
import { registerEgressCommand } from './commands/egress';
import { registerUsageCommands } from './commands/usage';
import { registerReliabilityCommands } from './commands/reliability';
import { registerLockCommands } from './commands/lock';
import { registerModelsCommand } from './commands/models';
import { registerOllamaCommand } from './commands/ollama';
import { registerPrivacyCommand } from './commands/privacy';
import { CliExit, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes';
import { registerEndpointsCommand } from './commands/endpoints';
import { registerInfoCommand } from './commands/info';
import { registerSettingsCommand } from './commands/settings';
import { visibleForTerminal } from '../../shared/terminal-text';
import { asDiskError } from '../core/store/atomic-file';


function buildProgram(io: CliIo): Command {
  const program = new Command('atelier')
    .description('Atelier from the command line: set up a classroom machine, check what it can do.')
    .version(APP_VERSION, '-v, --version')
    .showHelpAfterError('(run "atelier --help" for usage)')
    .exitOverride()
    // Commander quotes what was typed ("unknown command 'x'"): escape sequences in it are shown,
    // never run, and a 10,000-character argument is cut to its start and its length.
    .configureOutput({ writeOut: (text) => io.stdout(visibleForTerminal(text)), writeErr: (text) => io.stderr(visibleForTerminal(text)) });
  registerInfoCommand(program, io);
  registerSettingsCommand(program, io);
  registerEndpointsCommand(program, io);
  registerAuthCommand(program, io);
  registerChatCommand(program, io);
  registerAssistantsCommand(program, io);
  registerServeCommand(program, io);
  registerMcpCommand(program, io);
  registerConversationsCommand(program, io);
  registerModelsCommand(program, io);
  registerDoctorCommand(program, io);
  registerOllamaCommand(program, io);
  registerPrivacyCommand(program, io);
  registerEgressCommand(program, io);
  registerUsageCommands(program, io);
  registerReliabilityCommands(program, io);
  registerLockCommands(program, io);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never exits itself. */
export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  // Every command sees the environment as the classroom lock has it (address variables pinned while locked).
  const io = inForce(given);
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) {
      // Help and --version also end here, with exit code 0.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    // The last line of defence: no piece of a key in the environment, nothing key-shaped, no
    // credentials in a URL and no control characters reach the terminal, whatever threw.
    const secrets = environmentSecrets(io.env);
    // A full disk met in a database write is said as that, not as a bug.
    const known = asDiskError(error);
    const payload = scrubPayload(known instanceof AtelierError ? known.toPayload() : INTERNAL_ERROR, secrets);
    io.stderr(`Error: ${payload.message}\n`);
    if (payload.hint) io.stderr(`Hint: ${payload.hint}\n`);
    if (io.env.ATELIER_DEBUG) io.stderr(`${scrubSecrets(describeForDebugging(error), secrets)}\n`);
    return payload.code === 'invalid_request' ? EXIT_USAGE : EXIT_FAILED;
  }
}

/** With ATELIER_DEBUG set: the stack and the chain of causes, for bug reports. */
function describeForDebugging(error: unknown): string {
  const lines: string[] = [];
  for (let current: unknown = error; current !== undefined; current = (current as { cause?: unknown }).cause) {
    lines.push(current instanceof Error ? (current.stack ?? String(current)) : String(current));
    if (!(current instanceof Error)) break;
  }
  return lines.join('\nCaused by: ');
}
