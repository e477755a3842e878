// Runs the tests' global setup (test-environment.ts) and its teardown N times in a row, each
// time as on a fresh machine: a new empty HOME and XDG_RUNTIME_DIR, no session bus of the user's.
// Each run must give a Secret Service that our unlocked keyring owns and that stores and returns
// a secret, start no second keyring, and leave no process behind.
//   node scripts/run-ts.mjs test/support/keyring-cold-start.ts [RUNS]     (default 10)
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nameOwnerPid } from './private-keychain';
import setup from './test-environment';

const runs = Number(process.argv[2] ?? 10);

/** The processes started for the bus at `address`: the bus itself (its config names the socket) and those that carry the address in their environment. */
async function processesOnBus(address: string): Promise<string[]> {
  const socket = /unix:path=([^,]+)/.exec(address)?.[1] ?? address;
  const found: string[] = [];
  for (const pid of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const command = await commandLine(Number(pid));
    const environ = await fs.readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    const config = /--config-file=(\S+)/.exec(command)?.[1];
    const busConfig = config === undefined ? '' : await fs.readFile(config, 'utf8').catch(() => '');
    if (environ.includes(address) || busConfig.includes(socket)) found.push(`${pid} ${command}`);
  }
  return found;
}

/** A process's command line, or '' once it has ended (a zombie has none). */
async function commandLine(pid: number): Promise<string> {
  return (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').trim();
}

function secretTool(args: string[], input = ''): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('secret-tool', args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

async function coldRun(run: number): Promise<string | null> {
  const machine = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-cold-home-'));
  process.env.HOME = machine;
  process.env.XDG_RUNTIME_DIR = machine;
  for (const variable of ['DBUS_SESSION_BUS_ADDRESS', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'GNOME_KEYRING_CONTROL']) delete process.env[variable];
  try {
    const teardown = await setup();
    const address = process.env.DBUS_SESSION_BUS_ADDRESS ?? '';
    const owner = await nameOwnerPid(address, 'org.freedesktop.secrets');
    const ownerCommand = owner === null ? '' : await commandLine(owner);
    const secret = `cold-run-${run}`;
    const stored = await secretTool(['store', '--label=cold', 'service', 'atelier-cold', 'run', String(run)], secret);
    const lookedUp = await secretTool(['lookup', 'service', 'atelier-cold', 'run', String(run)]);
    const started = await processesOnBus(address);
    const keyrings = started.filter((line) => line.includes('gnome-keyring-daemon'));
    await teardown();
    const left: string[] = [];
    for (const line of started) {
      const pid = Number(line.split(' ')[0]);
      if ((await commandLine(pid)) !== '') left.push(line);
    }
    const problems = [
      ownerCommand.includes('--unlock') ? null : `org.freedesktop.secrets is owned by "${ownerCommand || 'no one'}"`,
      stored.code === 0 && lookedUp.stdout === secret ? null : 'storing and reading a secret failed',
      started.some((line) => line.includes('dbus-daemon')) ? null : 'the bus process was not found',
      keyrings.length === 1 ? null : `${keyrings.length} keyrings on the bus: ${keyrings.join('; ')}`,
      left.length === 0 ? null : `left running after the teardown: ${left.join('; ')}`,
    ].filter((problem) => problem !== null);
    return problems.length === 0 ? null : problems.join('; ');
  } catch (error) {
    return (error as Error).message;
  } finally {
    await fs.rm(machine, { recursive: true, force: true });
  }
}

let failed = 0;
for (let run = 1; run <= runs; run++) {
  const problem = await coldRun(run);
  if (problem !== null) failed++;
  console.log(`cold run ${run}/${runs}: ${problem ?? 'ok (our unlocked keyring owns the Secret Service, a secret went in and out, nothing left running)'}`);
}
console.log(failed === 0 ? `all ${runs} cold runs green` : `${failed} of ${runs} cold runs failed`);
process.exit(failed === 0 ? 0 : 1);
