import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appleGpuShare, interpretHardware, type ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import { parseNvidiaSmi } from '../../electron/core/hardware/nvidia-smi';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

function fixture(name: string): ProbeResults {
  return JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/hardware', `${name}.json`), 'utf8')) as ProbeResults;
}

function detect(name: string, vramOverrideBytes: number | null = null) {
  return interpretHardware(fixture(name), { vramOverrideBytes, detectedAt: '2026-11-22T12:00:00.000Z', durationMs: 5 });
}

describe('hardware detection on recorded machines', () => {
  it('NVIDIA on Linux: VRAM from nvidia-smi, not the lspci aperture', () => {
    const report = detect('linux-nvidia');
    expect(report.gpus).toEqual([
      { name: 'AD104 [GeForce RTX 4070]', vendor: 'nvidia', integrated: false, vramBytes: 12282 * MIB, freeVramBytes: 11610 * MIB, vramSource: 'nvidia-smi' },
    ]);
    expect(report).toMatchObject({ primaryGpu: 0, usableVramBytes: 12282 * MIB, vramSource: 'nvidia-smi' });
  });

  it('a Windows NVIDIA card over 4 GB: nvidia-smi beats the capped AdapterRAM', () => {
    expect(detect('windows-nvidia-over-4gb')).toMatchObject({ usableVramBytes: 12 * GIB, vramSource: 'nvidia-smi' });
  });

  it('a Windows AMD card over 4 GB: the registry size systeminformation read', () => {
    const report = detect('windows-amd-over-4gb');
    expect(report).toMatchObject({ usableVramBytes: 16368 * MIB, vramSource: 'systeminformation' });
    expect(report.gpus[0]?.note).toBeUndefined();
  });

  it('a Windows card stuck at the 4 GB cap is flagged, with what to do', () => {
    const report = detect('windows-amd-capped');
    expect(report.usableVramBytes).toBe(4095 * MIB);
    expect(report.gpus[0]?.note).toMatch(/at most 4 GB.*set the VRAM in Settings/);
  });

  it('Apple Silicon: no VRAM figure, a documented share of unified memory', () => {
    const report = detect('apple-silicon');
    expect(report.gpus[0]).toMatchObject({ vendor: 'apple', integrated: true, vramBytes: null, vramSource: 'unified-memory' });
    expect(report).toMatchObject({ primaryGpu: null, vramSource: 'unified-memory' });
    expect(report.usableVramBytes).toBe(Math.floor(32 * GIB * (2 / 3)));
    expect(appleGpuShare(64 * GIB)).toBe(0.75);
  });

  it('AMD on Linux: VRAM and free memory from sysfs', () => {
    const report = detect('linux-amd-sysfs');
    expect(report.gpus[0]).toMatchObject({ vendor: 'amd', integrated: false, vramBytes: 17163091968, freeVramBytes: 17163091968 - 402653184, vramSource: 'sysfs' });
    expect(report).toMatchObject({ primaryGpu: 0, usableVramBytes: 17163091968 });
  });

  it('Intel integrated only: listed, but models run on the CPU', () => {
    const report = detect('linux-intel-integrated');
    expect(report.gpus).toHaveLength(1);
    expect(report.gpus[0]).toMatchObject({ vendor: 'intel', integrated: true, vramBytes: null });
    expect(report).toMatchObject({ primaryGpu: null, usableVramBytes: 0, vramSource: 'none' });
  });

  it('a hybrid laptop: both GPUs listed, the NVIDIA one chosen', () => {
    const report = detect('hybrid-laptop');
    expect(report.gpus.map((gpu) => [gpu.vendor, gpu.integrated])).toEqual([
      ['intel', true],
      ['nvidia', false],
    ]);
    expect(report).toMatchObject({ primaryGpu: 1, usableVramBytes: 4 * GIB, vramSource: 'nvidia-smi' });
  });

  it('no GPU (recorded on the CI machine): CPU only, RAM known', () => {
    const report = detect('no-gpu-linux');
    expect(report).toMatchObject({ gpus: [], primaryGpu: null, usableVramBytes: 0, vramSource: 'none' });
    expect(report.ramBytes).toBeGreaterThan(GIB);
  });

  it('the user’s VRAM override wins, and says so', () => {
    expect(detect('windows-amd-capped', 12 * GIB)).toMatchObject({ usableVramBytes: 12 * GIB, vramSource: 'override' });
  });

  it('several discrete GPUs: the largest is chosen, all are listed', () => {
    const probe: ProbeResults = {
      ...fixture('linux-nvidia'),
      controllers: [],
      nvidiaSmi: '0, NVIDIA GeForce RTX 3060, 12288, 12000, 00000000:01:00.0\n1, NVIDIA RTX A6000, 49140, 48000, 00000000:02:00.0\n',
    };
    const report = interpretHardware(probe, { detectedAt: '', durationMs: 0 });
    expect(report.gpus.map((gpu) => gpu.name)).toEqual(['NVIDIA GeForce RTX 3060', 'NVIDIA RTX A6000']);
    expect(report).toMatchObject({ primaryGpu: 1, usableVramBytes: 49140 * MIB });
  });
});

describe('parseNvidiaSmi', () => {
  it('reads one GPU per line and skips what it cannot read', () => {
    const output = ['0, NVIDIA H100 80GB HBM3, 81559, 81000, 00000000:19:00.0', 'NVIDIA-SMI has failed because it couldn’t communicate with the driver.', '1, Tesla T4, [N/A], [N/A], 00000000:3B:00.0', ''].join('\n');
    expect(parseNvidiaSmi(output)).toEqual([{ index: 0, name: 'NVIDIA H100 80GB HBM3', totalBytes: 81559 * MIB, freeBytes: 81000 * MIB, busId: '00000000:19:00.0' }]);
  });
});
