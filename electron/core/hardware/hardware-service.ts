import os from 'node:os';
import type { HardwareReport } from '../../../shared/hardware';
import { cachedVramBytes, writeHardwareCache } from './hardware-cache';
import { interpretHardware, type ProbeResults } from './interpret-hardware';

/** VRAM is sold in binary units: a "12 GB" card has 12 GiB. */
const GB = 1024 ** 3;

interface ProbeRun {
  probe: ProbeResults;
  detectedAt: string;
  durationMs: number;
}

export interface HardwareServiceOptions {
  /**
   * The data folder: each detection is kept there (hardware-cache.ts), and num_ctx is planned
   * with the one kept from an earlier run until this run's detection is done.
   */
  dataDir?: string;
}

/**
 * This machine's hardware, detected once and kept: the probe runs in the background (in the
 * app, in a worker thread) with a time limit, and `get` applies the user's VRAM override to the
 * kept results, so changing the override never probes again. `refresh` probes anew.
 */
export class HardwareService {
  private run: Promise<ProbeRun> | null = null;
  /** The latest detection that worked, without the override; null until one is done. */
  private detected: { usableVramBytes: number } | null = null;
  private cached: Promise<number | null> | null = null;

  constructor(
    private readonly probe: () => Promise<ProbeResults>,
    private readonly vramOverrideGb: () => number | null,
    private readonly options: HardwareServiceOptions = {},
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

  /**
   * The GPU memory detected, in bytes, without the override (the provider configuration applies
   * it): this run's detection once done, else the one kept from an earlier run, else null. Never
   * waits for a probe, so a chat does not either.
   */
  async detectedVramBytes(): Promise<number | null> {
    if (this.detected !== null) return this.detected.usableVramBytes;
    const { dataDir } = this.options;
    if (dataDir === undefined) return null;
    this.cached ??= cachedVramBytes(dataDir);
    return this.cached;
  }

  private probed(refresh: boolean): Promise<ProbeRun> {
    if (this.run === null || refresh) {
      const started = performance.now();
      this.run = this.probe().then(
        async (probe) => {
          const run = { probe, detectedAt: new Date().toISOString(), durationMs: Math.round(performance.now() - started) };
          if (probe.fallback !== true) await this.remember(run);
          return run;
        },
        (error: unknown) => ({
          probe: fallbackProbe(`detection failed: ${error instanceof Error ? error.message : String(error)}`),
          detectedAt: new Date().toISOString(),
          durationMs: Math.round(performance.now() - started),
        }),
      );
    }
    return this.run;
  }

  /**
   * A detection that worked is used from now on, and kept for the next start and the CLI (kept
   * before the detection is answered, so whoever waits for it also waits for the file).
   */
  private async remember(run: ProbeRun): Promise<void> {
    const report = interpretHardware(run.probe, { vramOverrideBytes: null, detectedAt: run.detectedAt, durationMs: run.durationMs });
    this.detected = { usableVramBytes: report.usableVramBytes };
    // Keeping it is a convenience: if it cannot be written, the next start probes again.
    if (this.options.dataDir !== undefined) await writeHardwareCache(this.options.dataDir, report).catch(() => undefined);
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
    fallback: true,
  };
}
