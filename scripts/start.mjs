// npm start: checks that Electron's binary is on this machine, builds everything into out/ and
// starts the app. Electron's npm package downloads its binary when it is installed; when that
// download did not happen (offline, a firewall, a failed download), `electron .` would try again
// and end in a fetch stack trace and Electron's own hint. This says what is missing and what to
// do, before spending time on a build.
//   node scripts/start.mjs            check, build, start (further arguments go to the app)
//   node scripts/start.mjs --check    only the check: exit 0 when Electron can start
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Where Electron's binary is, as node_modules/electron/index.js finds it, or what is missing. */
function findElectron() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return {
      problem: "Electron is not installed: node_modules/electron is missing.",
      hint: 'Run `npm install` (with network access) in this folder first.',
    };
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const pathFile = path.join(packageDir, 'path.txt');
  // path.txt names the executable inside dist/; Electron's install script writes it once the
  // download is unpacked. ELECTRON_OVERRIDE_DIST_PATH points at an Electron unpacked elsewhere.
  const executable = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, executable || defaultExecutable()) : executable ? path.join(packageDir, 'dist', executable) : '';
  if (binary && fs.existsSync(binary)) return { binary };
  const where = override ? binary : path.relative(process.cwd(), binary || path.join(packageDir, 'dist'));
  const file = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  return {
    problem: override
      ? `Electron's binary is missing: ELECTRON_OVERRIDE_DIST_PATH is set, but ${where} is not there.`
      : `Electron's binary is missing: ${where} is not there. \`npm install\` downloads it (${file}, about 100 MB, from github.com/electron/electron/releases) and that download did not happen or failed, for example without network access.`,
    hint: override
      ? 'Point ELECTRON_OVERRIDE_DIST_PATH at the folder that holds the unpacked Electron, or unset it.'
      : [
          'With network access, run `node node_modules/electron/install.js` (or `npm install` again).',
          "If github.com cannot be reached from here, set ELECTRON_MIRROR first to a mirror of Electron's",
          'releases that you can reach (a URL ending in /, as for `npm install`).',
          'With an Electron already unpacked on this machine, set ELECTRON_OVERRIDE_DIST_PATH to its folder.',
          'The `atelier` command needs no Electron: npm run --silent cli -- --help.',
        ].join('\n      '),
  };
}

function defaultExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return process.platform === 'win32' ? 'electron.exe' : 'electron';
}

const args = process.argv.slice(2);
const electron = findElectron();
if (!electron.binary) {
  process.stderr.write(`Error: ${electron.problem}\nHint: ${electron.hint}\n`);
  process.exit(1);
}
if (args[0] === '--check') {
  process.stdout.write(`Electron: ${electron.binary}\n`);
  process.exit(0);
}

const build = spawnSync(process.execPath, [path.join(import.meta.dirname, 'build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const app = spawn(electron.binary, ['.', ...args], { stdio: 'inherit', windowsHide: false });
// Closing the terminal, Ctrl-C or `kill` reach the app, not just this script.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => app.kill(signal));
app.on('close', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
