import { processIo } from './cli-context';
import { runCli } from './program';

// The CLI itself, loaded by atelier.ts once it knows this Node can run it.
process.exitCode = await runCli(process.argv.slice(2), processIo());
