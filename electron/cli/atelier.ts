import { processIo } from './cli-context';
import { runCli } from './program';

process.exitCode = await runCli(process.argv.slice(2), processIo());
