import fs from 'node:fs/promises';
import path from 'node:path';
import { HardwareReportSchema, type HardwareReport } from '../../../shared/hardware';
import { stripByteOrderMark } from '../../../shared/text';
import { writeFileAtomically } from '../store/atomic-file';
import { preparePrivateDataDir } from '../store/data-folder';

export const HARDWARE_FILE_NAME = 'hardware.json';

/**
 * The last hardware detection, kept in the data folder: a process that does not probe (a
 * one-shot `atelier chat`, the app before its own probe is done) plans num_ctx with it, so a
 * chat never waits for a probe and the num_ctx sent does not change from one start to the next
 * (a new num_ctx makes Ollama load the model again). Written by the app's detection and by
 * `atelier doctor` / `atelier ollama list`.
 *
 * The report is kept as detected, without the user's VRAM override: that is applied when it is
 * used, so changing the override never needs a probe.
 */
export async function readHardwareCache(dataDir: string): Promise<HardwareReport | null> {
  try {
    const text = stripByteOrderMark(await fs.readFile(path.join(dataDir, HARDWARE_FILE_NAME), 'utf8'));
    const parsed = HardwareReportSchema.safeParse((JSON.parse(text) as { report?: unknown }).report);
    // One that is not what this version writes is as good as none: the next detection replaces it.
    return parsed.success && parsed.data.vramSource !== 'override' ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Keeps a detection (without override); throws when it cannot be written (a full disk). */
export async function writeHardwareCache(dataDir: string, report: HardwareReport): Promise<void> {
  if (report.vramSource === 'override') throw new Error('the report to keep must be the one detected, without the override');
  preparePrivateDataDir(dataDir);
  await writeFileAtomically(path.join(dataDir, HARDWARE_FILE_NAME), `${JSON.stringify({ report }, null, 2)}\n`, { mode: 0o600 });
}

/** The detected GPU memory the last detection kept, in bytes; null when there is none. */
export async function cachedVramBytes(dataDir: string): Promise<number | null> {
  return (await readHardwareCache(dataDir))?.usableVramBytes ?? null;
}
