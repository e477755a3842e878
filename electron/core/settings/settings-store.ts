import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { AtelierError } from '../../../shared/errors';
import {
  applySettingsPatch,
  DEFAULT_SETTINGS,
  type Settings,
  type SettingsPatch,
  type SettingsRecovery,
  type SettingsState,
} from '../../../shared/settings';
import { recoverSettings, unreadableSettings } from './recover-settings';

export const SETTINGS_FILE_NAME = 'settings.json';

type Listener = (state: SettingsState) => void;

/**
 * The settings file in the data folder. Reading never fails: a corrupt or partly wrong file is
 * moved aside (never deleted), the usable values are kept, and what happened is reported in
 * `recovery` so the UI and the CLI can tell the user. Writes are atomic (temp file + fsync +
 * rename), so a crash mid-write leaves the old file, not half of a new one.
 */
export class SettingsStore {
  readonly file: string;
  private state: SettingsState;
  private readonly listeners = new Set<Listener>();
  /** Updates run one after another, so two quick changes cannot overwrite each other. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, state: SettingsState) {
    this.file = file;
    this.state = state;
  }

  static async open(dataDir: string, clock: () => Date = () => new Date()): Promise<SettingsStore> {
    const file = path.join(dataDir, SETTINGS_FILE_NAME);
    const read = await readSettingsFile(file);
    if (read.kind === 'missing') {
      return new SettingsStore(file, freshState());
    }
    const recovered =
      read.kind === 'text' ? recoverSettings(read.text) : unreadableSettings(`the file could not be read (${read.code})`);
    if (recovered.reason === null) {
      return new SettingsStore(file, { settings: recovered.settings, recovery: null });
    }

    const keptAt = await keepAside(file, clock());
    if (keptAt === null) {
      // It could not be moved: leave it untouched rather than write over it, and say so.
      const problems = [...recovered.problems, 'it could not be moved aside, so it was left where it is'];
      const recovery: SettingsRecovery = { reason: recovered.reason, problems, keptAt: file };
      return new SettingsStore(file, { settings: recovered.settings, recovery });
    }
    const recovery: SettingsRecovery = { reason: recovered.reason, problems: recovered.problems, keptAt };
    const store = new SettingsStore(file, { settings: recovered.settings, recovery });
    try {
      await store.write(recovered.settings);
    } catch {
      // The repaired values still apply for this run; the next change tries to save them again.
    }
    return store;
  }

  get(): SettingsState {
    return this.state;
  }

  /** Applies a validated patch on top of what is on disk now (the CLI may have changed it). */
  update(patch: SettingsPatch): Promise<SettingsState> {
    const next = this.queue.then(async () => {
      const base = await this.readCurrentOrMemory();
      const settings: Settings = applySettingsPatch(base, patch);
      await this.write(settings);
      this.state = { settings, recovery: this.state.recovery };
      // The change is saved: a failing listener must not make it look as if it were not.
      for (const listener of this.listeners) {
        try {
          listener(this.state);
        } catch {
          // Listeners report their own failures; the update stands.
        }
      }
      return this.state;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Calls `listener` after every successful update; returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async readCurrentOrMemory(): Promise<Settings> {
    const read = await readSettingsFile(this.file);
    if (read.kind === 'text') {
      const recovered = recoverSettings(read.text);
      if (recovered.reason === null) return recovered.settings;
    }
    return this.state.settings;
  }

  private async write(settings: Settings): Promise<void> {
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new AtelierError(
        'settings_unwritable',
        `Atelier could not save your settings to ${this.file}.`,
        'Check that you may write to that folder and that the disk is not full, then try again.',
        { cause: error },
      );
    }
  }
}

function freshState(): SettingsState {
  return { settings: { ...DEFAULT_SETTINGS }, recovery: null };
}

type FileRead = { kind: 'missing' } | { kind: 'text'; text: string } | { kind: 'error'; code: string };

async function readSettingsFile(file: string): Promise<FileRead> {
  try {
    return { kind: 'text', text: await fs.readFile(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', code };
  }
}

/**
 * Renames the bad file to `settings.rejected-<time>.json` beside it and returns that path, or
 * null when it cannot be moved (a read-only folder).
 */
async function keepAside(file: string, now: Date): Promise<string | null> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const base = file.replace(/\.json$/, '');
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = `${base}.rejected-${stamp}${attempt > 0 ? `-${attempt}` : ''}.json`;
    if (await exists(target)) continue; // never overwrite an earlier copy
    try {
      await fs.rename(file, target);
      return target;
    } catch {
      return null;
    }
  }
  return null;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}
