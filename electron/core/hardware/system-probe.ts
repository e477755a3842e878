import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type si from 'systeminformation';
import type { HardwareReport } from '../../../shared/hardware';
import { describeWriteError } from '../store/atomic-file';
import { writeHardwareCache } from './hardware-cache';
import { interpretHardware, type ControllerInfo, type ProbeResults, type SysfsGpu } from './interpret-hardware';
import { NVIDIA_SMI_ARGS } from './nvidia-smi';

/** systeminformation can take seconds on Windows (PowerShell) and has been seen to hang. */
export const DEFAULT_DETECTION_TIMEOUT_MS = 8000;

/** Resolves with `fallback` (and notes the problem) when `promise` takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number, fallback: T, what: string, problems: string[]): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      problems.push(`${what}: no answer within ${Math.round(ms / 100) / 10} s`);
      resolve(fallback);
    }, ms);
  });
  try {
    return await Promise.race([
      promise.catch((error: unknown) => {
        problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        return fallback;
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function runNvidiaSmi(timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: timeoutMs, windowsHide: true }, (error, stdout) => {
      if (error) {
        reject(new Error((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : error.message.split('\n')[0]));
        return;
      }
      resolve(stdout);
    });
  });
}

/** amdgpu's memory counters under /sys/class/drm/card<N>/device/ (Linux only). */
export async function readSysfsGpus(root = '/sys/class/drm'): Promise<SysfsGpu[]> {
  let entries: string[];
  try {
    entries = (await fs.readdir(root)).filter((name) => /^card\d+$/.test(name));
  } catch {
    return [];
  }
  const cards = await Promise.all(
    entries.sort().map(async (card): Promise<SysfsGpu | null> => {
      const device = path.join(root, card, 'device');
      const read = (file: string) => fs.readFile(path.join(device, file), 'utf8').then((text) => text.trim(), () => null);
      const [vendorId, total, used] = await Promise.all([read('vendor'), read('mem_info_vram_total'), read('mem_info_vram_used')]);
      if (vendorId === null || total === null || !/^\d+$/.test(total)) return null;
      return { card, vendorId, vramTotalBytes: Number(total), vramUsedBytes: used !== null && /^\d+$/.test(used) ? Number(used) : null };
    }),
  );
  return cards.filter((card): card is SysfsGpu => card !== null);
}

/** Gathers everything detection needs, each source within the time limit; never throws. */
export async function probeSystem(timeoutMs = DEFAULT_DETECTION_TIMEOUT_MS): Promise<ProbeResults> {
  const problems: string[] = [];
  // Loaded here, not at start-up: the app probes in a worker thread, the CLI only for doctor and ollama.
  const { default: systemInformation } = await import('systeminformation');
  const [graphics, mem, cpu, osInfo, nvidiaSmi, sysfs] = await Promise.all([
    within(systemInformation.graphics(), timeoutMs, { controllers: [], displays: [] }, 'systeminformation graphics', problems),
    within(systemInformation.mem(), timeoutMs, { total: os.totalmem() } as Awaited<ReturnType<typeof si.mem>>, 'systeminformation memory', problems),
    // On Linux the processor's name and the distribution's release are two small files away;
    // systeminformation spawns several programs for them, which doubled `atelier doctor`'s time.
    process.platform === 'linux' ? linuxCpu() : within(systemInformation.cpu(), timeoutMs, null, 'systeminformation cpu', problems),
    process.platform === 'linux' ? linuxOsInfo() : within(systemInformation.osInfo(), timeoutMs, null, 'systeminformation os', problems),
    within(runNvidiaSmi(Math.min(timeoutMs, 5000)), timeoutMs, null, 'nvidia-smi', problems),
    process.platform === 'linux' ? within(readSysfsGpus(), timeoutMs, [], 'sysfs', problems) : Promise.resolve([]),
  ]);
  return {
    platform: process.platform,
    arch: process.arch,
    controllers: graphics.controllers as ControllerInfo[],
    ramBytes: mem.total || os.totalmem(),
    cpu: { brand: cpu?.brand || os.cpus()[0]?.model || 'unknown CPU', cores: cpu?.cores || os.availableParallelism() },
    osRelease: osInfo?.release ?? os.release(),
    nvidiaSmi,
    sysfs,
    problems,
  };
}

/** The processor as systeminformation names it (`Core™ i7-8550U`), from what the kernel reports. */
async function linuxCpu(): Promise<{ brand: string; cores: number }> {
  const model = os.cpus()[0]?.model ?? '';
  const brand = model
    .replace(/\((R|TM)\)/gi, (mark) => (mark.toUpperCase() === '(TM)' ? '™' : '®'))
    .replace(/\s+CPU\s+@.*$|\s+@.*$/, '')
    .replace(/^(Intel®|AMD)\s+/, '')
    .replace(/\s+\d+-Core Processor$/, '')
    .trim();
  return { brand, cores: os.availableParallelism() };
}

/** The distribution's release (`12`, `24.04`) from /etc/os-release; the kernel's when that is missing. */
async function linuxOsInfo(): Promise<{ release: string }> {
  const text = await fs.readFile('/etc/os-release', 'utf8').catch(() => '');
  const version = /^VERSION_ID="?([^"\n]*)"?$/m.exec(text)?.[1];
  return { release: version || os.release() };
}

/**
 * Detects this machine's hardware: probes, then interprets with the user's VRAM override. With
 * `rememberIn` (the data folder), the detection is also kept there for num_ctx (hardware-cache.ts);
 * a failure to keep it is added to the report's problems, never thrown.
 */
export async function detectHardware(options: { vramOverrideBytes?: number | null; timeoutMs?: number; rememberIn?: string } = {}): Promise<HardwareReport> {
  const started = performance.now();
  const probe = await probeSystem(options.timeoutMs);
  const context = { detectedAt: new Date().toISOString(), durationMs: Math.round(performance.now() - started) };
  const report = interpretHardware(probe, { ...context, vramOverrideBytes: options.vramOverrideBytes ?? null });
  if (options.rememberIn !== undefined) {
    try {
      await writeHardwareCache(options.rememberIn, interpretHardware(probe, { ...context, vramOverrideBytes: null }));
    } catch (error) {
      report.problems.push(`the detection could not be kept for "atelier chat": ${describeWriteError(error).reason}`);
    }
  }
  return report;
}
