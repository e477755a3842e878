/** The query Atelier runs: one CSV line per GPU, memory in MiB. */
export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,memory.total,memory.free,pci.bus_id', '--format=csv,noheader,nounits'];

export interface NvidiaGpu {
  index: number;
  name: string;
  totalBytes: number;
  freeBytes: number | null;
  busId: string;
}

const MIB = 1024 * 1024;

/**
 * Parses `nvidia-smi --query-gpu=… --format=csv,noheader,nounits`. Lines it cannot read (a
 * driver message, "[N/A]") are skipped rather than guessed at.
 */
export function parseNvidiaSmi(output: string): NvidiaGpu[] {
  return output
    .split(/\r?\n/)
    .map((line) => line.split(',').map((field) => field.trim()))
    .flatMap((fields): NvidiaGpu[] => {
      if (fields.length < 5) return [];
      const [index, name, total, free, busId] = fields as [string, string, string, string, string];
      const totalMiB = Number(total);
      if (!/^\d+$/.test(index) || !Number.isFinite(totalMiB) || totalMiB <= 0) return [];
      const freeMiB = Number(free);
      return [
        {
          index: Number(index),
          name,
          totalBytes: Math.round(totalMiB * MIB),
          freeBytes: Number.isFinite(freeMiB) && free !== '' ? Math.round(freeMiB * MIB) : null,
          busId: busId.toLowerCase(),
        },
      ];
    });
}
