import os from 'node:os';
import type { HardwareReport } from '../../../shared/hardware';
import { interpretHardware, type ProbeResults } from './interpret-hardware';

/** VRAM is sold in binary units: a "12 GB" card has 12 GiB. */
const GB = 1024 ** 3;

interface ProbeRun {
  probe: ProbeResults;
  detectedAt: string;
  durationMs: number;
}

/**
 * This machine's hardware, detected once and kept: the probe runs in the background (in the
 * app, in a worker thread) with a time limit, and `get` applies the user's VRAM override to the
 * kept results, so changing the override never probes again. `refresh` probes anew.
 */
export class HardwareService {
  private run: Promise<ProbeRun> | null = null;

  constructor(
    private readonly probe: () => Promise<ProbeResults>,
    private readonly vramOverrideGb: () => number | null,
  ) {}

  /** Starts detection without waiting for it (at app start, after the window is up). */
  warmUp(): void {
    void this.probed(false);
  }

  async get(options: { refresh?: boolean } = {}): Promise<HardwareReport> {
    const { probe, detectedAt, durationMs } = await this.probed(options.refresh === true);
    const override = this.vramOverrideGb();
    return interpretHardware(probe, { vramOverrideBytes: override === null ? null : override * GB, detectedAt, durationMs });
  }

  private probed(refresh: boolean): Promise<ProbeRun> {
    if (this.run === null || refresh) {
      const started = performance.now();
      this.run = this.probe().then(
        (probe) => ({ probe, detectedAt: new Date().toISOString(), durationMs: Math.round(performance.now() - started) }),
        (error: unknown) => ({
          probe: fallbackProbe(`detection failed: ${error instanceof Error ? error.message : String(error)}`),
          detectedAt: new Date().toISOString(),
          durationMs: Math.round(performance.now() - started),
        }),
      );
    }
    return this.run;
  }
}

/** What Node alone knows, for when detection failed or timed out: no GPU, the RAM, the CPU. */
export function fallbackProbe(problem: string): ProbeResults {
  return {
    platform: process.platform,
    arch: process.arch,
    controllers: [],
    ramBytes: os.totalmem(),
    cpu: { brand: os.cpus()[0]?.model ?? 'unknown CPU', cores: os.availableParallelism() },
    osRelease: os.release(),
    nvidiaSmi: null,
    sysfs: [],
    problems: [problem],
  };
}
