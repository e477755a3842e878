import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HardwareReportSchema } from '../../shared/hardware';
import { detectHardware, readSysfsGpus } from '../../electron/core/hardware/system-probe';
import { tempDir } from '../support/temp-dir';

describe('hardware detection on this machine (real systeminformation)', () => {
  it('answers within its time limit with a valid report, naming what it could not ask', async () => {
    const report = await detectHardware({ timeoutMs: 8000 });
    expect(HardwareReportSchema.parse(report)).toEqual(report);
    expect(report.ramBytes).toBeGreaterThan(0);
    expect(report.cpu.cores).toBeGreaterThan(0);
    expect(report.os.platform).toBe(process.platform);
    // Our machines have no GPU and no nvidia-smi: the report says so instead of failing.
    if (report.primaryGpu === null) expect(report.usableVramBytes).toBe(0);
  }, 20_000);

  it('reads amdgpu counters from a sysfs tree and ignores other cards', async () => {
    const root = await tempDir();
    const card = async (name: string, files: Record<string, string>) => {
      await fs.mkdir(path.join(root, name, 'device'), { recursive: true });
      for (const [file, text] of Object.entries(files)) await fs.writeFile(path.join(root, name, 'device', file), `${text}\n`);
    };
    await card('card0', { vendor: '0x8086' });
    await card('card1', { vendor: '0x1002', mem_info_vram_total: '17163091968', mem_info_vram_used: '402653184' });
    await fs.mkdir(path.join(root, 'card1-DP-1'));
    expect(await readSysfsGpus(root)).toEqual([{ card: 'card1', vendorId: '0x1002', vramTotalBytes: 17163091968, vramUsedBytes: 402653184 }]);
    expect(await readSysfsGpus(path.join(root, 'missing'))).toEqual([]);
  });
});

describe('probing in a worker thread, as the app does', () => {
  it('runs the built probe-worker bundle and answers with this machine', async () => {
    const { build } = await import('esbuild');
    const { probeInWorker } = await import('../../electron/core/hardware/probe-in-worker');
    const outfile = path.join(await tempDir(), 'probe-worker.js');
    await build({ entryPoints: [path.resolve(import.meta.dirname, '../../electron/core/hardware/probe-worker.ts')], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
    // The bundle sits outside the repo, so give it the repo's node_modules to import from.
    await fs.symlink(path.resolve(import.meta.dirname, '../../node_modules'), path.join(path.dirname(outfile), 'node_modules'));
    const probe = await probeInWorker(outfile, 8000);
    expect(probe.platform).toBe(process.platform);
    expect(probe.ramBytes).toBeGreaterThan(0);
    expect(probe.problems.filter((problem) => /detection (failed|gave no answer)/.test(problem))).toEqual([]);
  }, 30_000);

  it('answers from Node alone when the worker cannot run', async () => {
    const { probeInWorker } = await import('../../electron/core/hardware/probe-in-worker');
    const probe = await probeInWorker(path.join(await tempDir(), 'missing-worker.js'), 1000);
    expect(probe.controllers).toEqual([]);
    expect(probe.ramBytes).toBeGreaterThan(0);
    expect(probe.problems[0]).toMatch(/^detection failed/);
  });
});
