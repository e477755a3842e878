/** 1.2 GB, 850 MB, 12 kB: decimal units, as Ollama and disk makers count. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

/**
 * Memory (RAM, VRAM, what a model needs) in binary units shown as "GB", as cards and computers
 * are sold: a "12 GB" graphics card has 12 GiB.
 */
export function formatMemory(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
