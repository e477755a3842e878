import { afterEach, describe, expect, it } from 'vitest';
import { HardwareReportSchema } from '../../shared/hardware';
import { createOllamaFake } from '../fakes/ollama-fake';
import { runAtelier } from '../support/run-cli';
import { tempDir } from '../support/temp-dir';

let fake: ReturnType<typeof createOllamaFake> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function withOllama(options: Parameters<typeof createOllamaFake>[0] = {}) {
  fake = createOllamaFake(options);
  await fake.start();
  const env = { ATELIER_HOME: await tempDir(), OLLAMA_HOST: fake.url, PATH: process.env.PATH };
  return { fake, atelier: (argv: string[], extra: { tty?: boolean; interruptOn?: RegExp } = {}) => runAtelier(argv, { env, ...extra }) };
}

describe('atelier doctor', () => {
  it('--json on this machine: the CPU tier, models that fit its RAM, Ollama, providers, no timeout', async () => {
    const { atelier } = await withOllama();
    const result = await atelier(['doctor', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      hardware: unknown;
      tier: string;
      recommendations: { local: Record<string, { fit: string; requiredBytes: number }>; cloud: { bedrockEu: Record<string, string> } };
      ollama: { running: boolean; version: string };
      providers: { provider: string; configured: boolean }[];
    };
    const hardware = HardwareReportSchema.parse(report.hardware);
    // Our CI machines have no GPU.
    expect(hardware.primaryGpu).toBeNull();
    expect(report.tier).toBe('cpu');
    for (const pick of Object.values(report.recommendations.local)) {
      expect(pick.fit).toBe('cpu');
      expect(pick.requiredBytes).toBeLessThan(hardware.ramBytes);
    }
    expect(hardware.problems.filter((problem) => /no answer within/.test(problem))).toEqual([]);
    expect(report.ollama).toMatchObject({ running: true, version: '0.12.6' });
    expect(report.providers.map((p) => [p.provider, p.configured])).toEqual([
      ['local', true],
      ['bedrock', false],
      ['anthropic', false],
      ['openai', false],
      ['openrouter', false],
    ]);
    expect(Object.values(report.recommendations.cloud.bedrockEu).every((id) => id.startsWith('bedrock/eu.'))).toBe(true);
  }, 30_000);

  it('--raw prints the probe results in the fixture format', async () => {
    const { atelier } = await withOllama();
    const raw = JSON.parse((await atelier(['doctor', '--raw'])).stdout) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(['arch', 'controllers', 'cpu', 'nvidiaSmi', 'osRelease', 'platform', 'problems', 'ramBytes', 'sysfs']);
  }, 30_000);

  it('prints the tier, each role and Ollama’s status as text', async () => {
    const { atelier } = await withOllama();
    const { stdout } = await atelier(['doctor']);
    expect(stdout).toMatch(/^Tier: cpu/m);
    expect(stdout).toMatch(/^ {2}fast {6}local\/llama3\.2:1b/m);
    expect(stdout).toMatch(/^Ollama: running 0\.12\.6 at http:\/\/127\.0\.0\.1:\d+$/m);
  }, 30_000);
});

describe('atelier ollama', () => {
  it('list shows installed models with size, fit and whether loaded', async () => {
    const { atelier, fake: server } = await withOllama({ models: ['llama3.2:3b', 'llama3.3:70b'] });
    server.loaded.add('llama3.2:3b');
    const { stdout, code } = await atelier(['ollama', 'list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^llama3\.3:70b +42\.5 GB {2}too big for this machine$/m);
    expect(stdout).toMatch(/^llama3\.2:3b +2\.0 GB {2}runs on the CPU, loaded$/m);
  }, 30_000);

  it('pull, piped: plain progress lines, then installed', async () => {
    const { atelier, fake: server } = await withOllama({ models: [], pullSteps: 10 });
    const { stdout, code } = await atelier(['ollama', 'pull', 'qwen2.5:7b']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('\r');
    expect(stdout).toMatch(/^pulling manifest$/m);
    expect(stdout).toMatch(/^downloading 50% \(/m);
    expect(stdout).toMatch(/^downloading 100% \(4\.7 GB of 4\.7 GB\)\nverifying sha256 digest\nwriting manifest\nInstalled qwen2\.5:7b\.\n$/m);
    expect(server.installed.has('qwen2.5:7b')).toBe(true);
  });

  it('pull on a terminal: one progress bar redrawn in place', async () => {
    const { atelier } = await withOllama({ models: [], pullSteps: 4 });
    const { stdout } = await atelier(['ollama', 'pull', 'llama3.2:3b'], { tty: true });
    expect(stdout).toMatch(/\r\[#{30}\] 100\.0% 2\.0 GB\/2\.0 GB/);
    expect(stdout.endsWith('Installed llama3.2:3b.\n')).toBe(true);
  });

  it('Ctrl-C stops a pull with exit 130; pulling again resumes', async () => {
    const { atelier, fake: server } = await withOllama({ models: [], pullSteps: 20, pullStepMs: 20 });
    const stopped = await atelier(['ollama', 'pull', 'llama3.2:3b'], { interruptOn: /downloading 30%/ });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('Pull it again to continue where it stopped.');
    expect(server.partial.get('llama3.2:3b')).toBeGreaterThan(0);
    const resumed = await atelier(['ollama', 'pull', 'llama3.2:3b']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).not.toMatch(/^downloading 10% /m);
  });

  it('load puts a model into memory', async () => {
    const { atelier, fake: server } = await withOllama({ models: ['llama3.2:3b'] });
    expect(await atelier(['ollama', 'load', 'llama3.2:3b'])).toMatchObject({ code: 0, stdout: 'llama3.2:3b is loaded and ready.\n' });
    expect(server.loaded.has('llama3.2:3b')).toBe(true);
    expect((await atelier(['ollama', 'load', 'mistral:7b'])).code).toBe(1);
  });

  it('rm deletes; an unknown model or library name gets a clear error', async () => {
    const { atelier, fake: server } = await withOllama({ models: ['llama3.2:3b'] });
    expect(await atelier(['ollama', 'rm', 'llama3.2:3b'])).toMatchObject({ code: 0, stdout: 'Deleted llama3.2:3b.\n' });
    expect(server.installed.size).toBe(0);
    expect((await atelier(['ollama', 'rm', 'llama3.2:3b'])).stderr).toContain('is not installed');
    expect((await atelier(['ollama', 'pull', 'no-such:1b'])).stderr).toMatch(/has no model called “no-such:1b”[\s\S]*ollama\.com\/library/);
  });
});
