import { NODE_VERSION_HINT, nodeVersionProblem } from './node-version';

// The `atelier` command's entry (out/cli/atelier.js, the package's bin). The bundle's static
// imports (node:sqlite among them) fail on an old Node before any of our code runs, so this file
// checks the version first and only then loads the CLI, which the build keeps in its own file.
const problem = nodeVersionProblem(process.versions.node);
if (problem === null) {
  await import('./main');
} else {
  process.stderr.write(`Error: ${problem}\nHint: ${NODE_VERSION_HINT}\n`);
  process.exitCode = 2; // EXIT_USAGE, written out: this file imports nothing that an old Node may trip on
}
