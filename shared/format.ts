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

/**
 * US dollars as a person reads them: $4.25, and small amounts with enough digits to be seen
 * ($0.0042, not $0.00). Never "$0.00" for an amount that is not 0.
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  const size = Math.abs(usd);
  // Whole cents with two digits ($0.29, though 0.29 * 100 is 28.999999999999996), else three.
  if (size >= 0.01) return `$${usd.toFixed(Math.abs(usd * 100 - Math.round(usd * 100)) < 1e-6 ? 2 : 3)}`;
  // Less than a cent: two significant digits, without trailing zeros ($0.0042, $0.001).
  const digits = Math.min(10, 1 - Math.floor(Math.log10(size)));
  return `$${Number(usd.toPrecision(2)).toFixed(digits).replace(/0+$/, '')}`;
}
