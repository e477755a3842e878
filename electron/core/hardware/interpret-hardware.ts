import type { Gpu, HardwareReport, VramSource } from '../../../shared/hardware';
import { parseNvidiaSmi, type NvidiaGpu } from './nvidia-smi';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** One GPU as systeminformation's graphics().controllers describes it (the fields we use). */
export interface ControllerInfo {
  vendor: string;
  model: string;
  name?: string;
  bus?: string;
  busAddress?: string;
  pciBus?: string;
  /** MiB; on Linux this is often the PCI aperture from lspci, not the VRAM. */
  vram: number | null;
  vramDynamic?: boolean;
  /** MiB, filled by systeminformation's own nvidia-smi call when it finds one. */
  memoryTotal?: number;
  memoryFree?: number;
}

/** An amdgpu card's memory as Linux exposes it under /sys/class/drm/card<N>/device/. */
export interface SysfsGpu {
  card: string;
  /** `0x1002` for AMD. */
  vendorId: string;
  vramTotalBytes: number;
  vramUsedBytes: number | null;
}

/** Everything the probes gathered: recorded as is for tests, so detection rules run on fixtures. */
export interface ProbeResults {
  platform: string;
  arch: string;
  controllers: ControllerInfo[];
  ramBytes: number;
  cpu: { brand: string; cores: number };
  osRelease: string;
  /** nvidia-smi's CSV answer (NVIDIA_SMI_ARGS), or null when it is missing or failed. */
  nvidiaSmi: string | null;
  sysfs: SysfsGpu[];
  problems: string[];
  /** Set when detection failed or timed out and this is only what Node alone knows. */
  fallback?: boolean;
}

/**
 * How much of an Apple Silicon Mac's memory the GPU may use by default (Metal's
 * recommendedMaxWorkingSetSize): about two thirds on machines with up to 36 GB, three quarters
 * above. Ollama and llama.cpp plan model fit with the same limit.
 */
export function appleGpuShare(ramBytes: number): number {
  return ramBytes <= 36 * GIB ? 2 / 3 : 3 / 4;
}

/** AdapterRAM is a 32-bit count: Windows reports every card of 4 GB or more as 4095 or 4096 MB. */
const WINDOWS_ADAPTER_RAM_CAP_MIB = new Set([4095, 4096]);

/**
 * Turns raw probe results into a report, correcting what systeminformation gets wrong: NVIDIA
 * VRAM from nvidia-smi; on Linux, the lspci "VRAM" (a PCI aperture) ignored and AMD's real VRAM
 * read from sysfs; the 4 GB AdapterRAM cap on Windows flagged; Apple Silicon's unified memory
 * shared out; integrated GPUs not counted; the largest discrete GPU chosen.
 */
export function interpretHardware(
  probe: ProbeResults,
  options: { vramOverrideBytes?: number | null; detectedAt: string; durationMs: number },
): HardwareReport {
  const nvidia = probe.nvidiaSmi ? parseNvidiaSmi(probe.nvidiaSmi) : [];
  const unusedNvidia = [...nvidia];
  const unusedSysfs = probe.sysfs.filter((card) => card.vendorId.toLowerCase() === '0x1002');
  const linux = probe.platform === 'linux';

  const gpus: Gpu[] = probe.controllers.map((controller) => {
    const name = controller.name || controller.model || controller.vendor || 'Unknown GPU';
    const vendor = vendorOf(controller.vendor, name);
    const base = { name, vendor, integrated: isIntegrated(vendor, name, controller) };

    if (vendor === 'nvidia') {
      const row = takeMatching(unusedNvidia, controller);
      if (row) return { ...base, vramBytes: row.totalBytes, freeVramBytes: row.freeBytes, vramSource: 'nvidia-smi' };
      if (controller.memoryTotal) {
        return {
          ...base,
          vramBytes: controller.memoryTotal * MIB,
          freeVramBytes: controller.memoryFree !== undefined ? controller.memoryFree * MIB : null,
          vramSource: 'nvidia-smi',
        };
      }
    }
    if (vendor === 'amd' && linux) {
      const card = unusedSysfs.shift();
      if (card) {
        return {
          ...base,
          integrated: base.integrated || card.vramTotalBytes < GIB, // an APU's small BIOS carve-out
          vramBytes: card.vramTotalBytes,
          freeVramBytes: card.vramUsedBytes === null ? null : Math.max(0, card.vramTotalBytes - card.vramUsedBytes),
          vramSource: 'sysfs',
        };
      }
    }
    if (vendor === 'apple') {
      return { ...base, vramBytes: null, freeVramBytes: null, vramSource: 'unified-memory', note: 'Shares the Mac’s memory with the system.' };
    }
    if (linux || controller.vram === null || controller.vram <= 0) {
      // An integrated GPU's memory is system RAM and holds no models: nothing to explain.
      if (base.integrated) return { ...base, vramBytes: null, freeVramBytes: null, vramSource: 'none' };
      return {
        ...base,
        vramBytes: null,
        freeVramBytes: null,
        vramSource: 'none',
        note: linux
          ? 'Linux reports only the PCI aperture for this card, not its memory; set the VRAM in Settings if it is wrong.'
          : 'The system did not report this card’s memory.',
      };
    }
    const capped = probe.platform === 'win32' && WINDOWS_ADAPTER_RAM_CAP_MIB.has(controller.vram);
    return {
      ...base,
      vramBytes: Math.round(controller.vram * MIB),
      freeVramBytes: null,
      vramSource: 'systeminformation',
      ...(capped && { note: 'Windows reports at most 4 GB for this card; if it has more, set the VRAM in Settings.' }),
    };
  });

  // GPUs the drivers know but systeminformation missed.
  for (const row of unusedNvidia) {
    gpus.push({ name: row.name, vendor: 'nvidia', integrated: false, vramBytes: row.totalBytes, freeVramBytes: row.freeBytes, vramSource: 'nvidia-smi' });
  }
  if (linux) {
    for (const card of unusedSysfs) {
      gpus.push({
        name: `AMD GPU (${card.card})`,
        vendor: 'amd',
        integrated: card.vramTotalBytes < GIB,
        vramBytes: card.vramTotalBytes,
        freeVramBytes: card.vramUsedBytes === null ? null : Math.max(0, card.vramTotalBytes - card.vramUsedBytes),
        vramSource: 'sysfs',
      });
    }
  }

  const primaryGpu = pickPrimary(gpus);
  const primary = primaryGpu === null ? undefined : gpus[primaryGpu];
  const appleSilicon = probe.platform === 'darwin' && (probe.arch === 'arm64' || gpus.some((gpu) => gpu.vendor === 'apple'));
  let usableVramBytes = 0;
  let vramSource: VramSource = 'none';
  const override = options.vramOverrideBytes;
  if (override !== null && override !== undefined && override >= 0) {
    usableVramBytes = Math.round(override);
    vramSource = 'override';
  } else if (primary?.vramBytes) {
    usableVramBytes = primary.vramBytes;
    vramSource = primary.vramSource;
  } else if (appleSilicon) {
    usableVramBytes = Math.floor(probe.ramBytes * appleGpuShare(probe.ramBytes));
    vramSource = 'unified-memory';
  }

  return {
    gpus,
    primaryGpu,
    usableVramBytes,
    vramSource,
    ramBytes: probe.ramBytes,
    cpu: probe.cpu,
    os: { platform: probe.platform, arch: probe.arch, release: probe.osRelease },
    problems: probe.problems,
    detectedAt: options.detectedAt,
    durationMs: options.durationMs,
  };
}

function vendorOf(vendor: string, name: string): Gpu['vendor'] {
  const text = `${vendor} ${name}`.toLowerCase();
  if (text.includes('nvidia')) return 'nvidia';
  if (/\b(amd|ati|advanced micro devices|radeon)\b/.test(text)) return 'amd';
  if (text.includes('intel')) return 'intel';
  if (text.includes('apple')) return 'apple';
  return 'other';
}

function isIntegrated(vendor: Gpu['vendor'], name: string, controller: ControllerInfo): boolean {
  if (vendor === 'apple') return true;
  if (vendor === 'nvidia') return false;
  if (controller.vramDynamic) return true;
  if (vendor === 'intel') return !/\bArc\b.*\b[AB]\d{3}\b/i.test(name); // Arc A770, B580: discrete
  if (vendor === 'amd') {
    return /Radeon(\(TM\))? (\d{3}M|Graphics|Vega \d+ Graphics)\b|Renoir|Cezanne|Rembrandt|Phoenix|Barcelo|Lucienne|Picasso|Raven|Van Gogh|Mendocino|Strix/i.test(name);
  }
  return false;
}

/** Matches an nvidia-smi row to a controller by PCI bus address, else takes the next one. */
function takeMatching(rows: NvidiaGpu[], controller: ControllerInfo): NvidiaGpu | undefined {
  const bus = (controller.busAddress ?? controller.pciBus ?? '').toLowerCase();
  let index = bus ? rows.findIndex((row) => row.busId.endsWith(bus)) : -1;
  if (index < 0) index = rows.length > 0 ? 0 : -1;
  return index < 0 ? undefined : rows.splice(index, 1)[0];
}

/** The discrete GPU with the most memory; integrated GPUs do not hold models. */
function pickPrimary(gpus: Gpu[]): number | null {
  let best: number | null = null;
  gpus.forEach((gpu, index) => {
    if (gpu.integrated || !gpu.vramBytes) return;
    if (best === null || gpu.vramBytes > (gpus[best]?.vramBytes ?? 0)) best = index;
  });
  return best;
}
