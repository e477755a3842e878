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
