import module from 'node:module';
import { ENVIRONMENT_PROXY_HINT, environmentProxyProblem } from '../core/privacy/env-proxy';
import { NODE_VERSION_HINT, nodeVersionProblem } from './node-version';

// The `atelier` command's entry (out/cli/atelier.js, the package's bin). The bundle's static
// imports (node:sqlite among them) fail on an old Node before any of our code runs, so this file
// checks the version first and only then loads the CLI, which the build keeps in its own file.
const problem = nodeVersionProblem(process.versions.node);
const proxy = environmentProxyProblem(process.env, process.execArgv);
if (problem === null && proxy !== null) {
  process.stderr.write(`Error: ${proxy}\nHint: ${ENVIRONMENT_PROXY_HINT}\n`);
  process.exitCode = 2;
} else if (problem === null) {
  // V8's compiled code for the bundle is kept on disk (Node's own cache in the temp folder, keyed
  // by the file's content), so the second and later runs of a command skip most of the compiling.
  module.enableCompileCache?.();
  await import('./main');
} else {
  process.stderr.write(`Error: ${problem}\nHint: ${NODE_VERSION_HINT}\n`);
  process.exitCode = 2; // EXIT_USAGE, written out: this file imports nothing that an old Node may trip on
}
