import { watch, type FSWatcher } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  applySettingsPatch,
  DEFAULT_SETTINGS,
  type Settings,
  type SettingsPatch,
  type SettingsRecovery,
  type SettingsState,
} from '../../../shared/settings';
import { decodePersonsText } from '../../../shared/text';
import { fileWriteError, writeFileAtomically } from '../store/atomic-file';
import { preparePrivateDataDir } from '../store/data-folder';
import { withFolderLock } from '../store/folder-lock';
import { withPinnedSettings, type LockPins } from '../privacy/lock-pins';
import type { ManagedPolicy } from '../privacy/policy-file';
import { withSchoolServer } from '../school/school-server';
import { recoverSettings, unreadableSettings } from './recover-settings';

export const SETTINGS_FILE_NAME = 'settings.json';

type Listener = (state: SettingsState) => void;

/**
 * Decides whether a change may be made, with the settings as they are on disk at that moment:
 * the school's policy file and the classroom lock. It runs inside the data folder's lock, so no
 * other process can change settings (or lock the class) between the check and the write.
 */
export type SettingsGuard = (patch: SettingsPatch, current: Settings) => Promise<void> | void;

/** Where the classroom lock's pins come from (see core/privacy/lock-pins.ts). */
export interface PinSource {
  /** The pins of the lock's last reading, or null when unlocked. */
  pins(): LockPins | null;
  /** Reads the lock again (cheap: reused for a moment unless `fresh`). */
  state(options?: { fresh?: boolean }): Promise<unknown>;
}

export interface SettingsStoreOptions {
  clock?: () => Date;
  guard?: SettingsGuard;
  /** While the class is locked, the settings it pins are in force whatever the file says. */
  pins?: PinSource;
  /** The school's policy file: the server it declares (`schoolServer`) is among the endpoints in force. */
  policy?: () => ManagedPolicy;
}

/**
 * The settings file in the data folder. Reading never fails: a corrupt or partly wrong file is
 * moved aside (never deleted), the usable values are kept, and what happened is reported in
 * `recovery` so the UI and the CLI can tell the user. Writes are atomic (temp file, every byte
 * checked, fsync, rename), so a crash or a full disk leaves the old file, not half of a new one.
 * Every change is read, applied and written under the data folder's lock, so the app and the CLI
 * (or two CLIs) never lose each other's changes.
 */
export class SettingsStore {
  readonly file: string;
  private state: SettingsState;
  private readonly listeners = new Set<Listener>();
  /** Updates run one after another, so two quick changes cannot overwrite each other. */
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | null = null;

  private constructor(
    file: string,
    state: SettingsState,
    private readonly guard: SettingsGuard | null,
    private readonly pinSource: PinSource | null = null,
    private readonly policy: (() => ManagedPolicy) | null = null,
  ) {
    this.file = file;
    this.state = state;
  }

  get dataDir(): string {
    return path.dirname(this.file);
  }

  static async open(dataDir: string, options: SettingsStoreOptions | (() => Date) = {}): Promise<SettingsStore> {
    const { clock = () => new Date(), guard = null, pins = null, policy = null } = typeof options === 'function' ? { clock: options } : options;
    await pins?.state();
    const file = path.join(dataDir, SETTINGS_FILE_NAME);
    const read = await readSettingsFile(file);
    if (read.kind === 'missing') {
      return new SettingsStore(file, freshState(), guard, pins, policy);
    }
    const recovered =
      read.kind === 'text' ? recoverSettings(read.text) : unreadableSettings(`the file could not be read (${read.code})`);
    if (recovered.reason === null) {
      return new SettingsStore(file, { settings: recovered.settings, recovery: null }, guard, pins, policy);
    }
    return withFolderLock(dataDir, async () => {
      // Another process may have repaired it meanwhile: look again under the lock.
      const again = await readSettingsFile(file);
      const still = again.kind === 'text' ? recoverSettings(again.text) : again.kind === 'missing' ? null : recovered;
      if (still === null || still.reason === null) return new SettingsStore(file, { settings: still?.settings ?? DEFAULT_SETTINGS, recovery: null }, guard, pins, policy);
      const keptAt = await keepAside(file, clock());
      if (keptAt === null) {
        // It could not be moved: leave it untouched rather than write over it, and say so.
        const problems = [...still.problems, 'it could not be moved aside, so it was left where it is'];
        return new SettingsStore(file, { settings: still.settings, recovery: { reason: still.reason, problems, keptAt: file } }, guard, pins, policy);
      }
      const recovery: SettingsRecovery = { reason: still.reason, problems: still.problems, keptAt };
      const store = new SettingsStore(file, { settings: still.settings, recovery }, guard, pins, policy);
      try {
        await store.write(still.settings);
      } catch {
        // The repaired values still apply for this run; the next change tries to save them again.
      }
      return store;
    });
  }

  /**
   * The settings in force: the file's, with what a classroom lock pins as it was when the
   * teacher locked (a hand-edited tier or address does not count while locked), and the school's
   * server among the endpoints when its policy file declares one (never written to the file).
   */
  get(): SettingsState {
    const pins = this.pinSource?.pins() ?? null;
    const pinned = pins ? withPinnedSettings(this.state.settings, pins) : this.state.settings;
    const settings = this.policy ? withSchoolServer(pinned, this.policy()) : pinned;
    return settings === this.state.settings ? this.state : { ...this.state, settings };
  }

  /** The settings in force after reading the classroom lock again: for every request that leaves. */
  async current(): Promise<SettingsState> {
    await this.pinSource?.state();
    return this.get();
  }

  /**
   * Applies a validated patch on top of what is on disk now (the CLI may have changed it), after
   * the guard allowed it, all under the data folder's lock. `change` may be a function of the
   * settings on disk, for changes that depend on them (adding to the list of endpoints).
   */
  update(change: SettingsPatch | ((current: Settings) => SettingsPatch)): Promise<SettingsState> {
    const next = this.queue.then(() =>
      withFolderLock(this.dataDir, async () => {
        const base = await this.readCurrentOrMemory();
        // A change computed from the current settings (add to a list) sees what is on disk now.
        const patch = typeof change === 'function' ? change(base) : change;
        await this.guard?.(patch, base);
        const settings: Settings = applySettingsPatch(base, patch);
        await this.write(settings);
        this.replaceState(settings);
        return this.get();
      }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Re-reads the file and tells the listeners if another process (the CLI) changed it. The app
   * calls this when the file changes on disk (see `watch`).
   */
  async reload(): Promise<SettingsState> {
    const before = JSON.stringify(this.get().settings);
    await this.pinSource?.state({ fresh: true });
    const read = await readSettingsFile(this.file);
    const recovered = read.kind === 'text' ? recoverSettings(read.text) : null;
    // A file being hand-edited into something invalid is not taken half-way; the next start repairs it.
    if (recovered && recovered.reason === null) this.state = { settings: recovered.settings, recovery: this.state.recovery };
    if (JSON.stringify(this.get().settings) !== before) this.replaceState(this.state.settings);
    return this.get();
  }

  /**
   * Watches the data folder for changes to the settings file made by another process, and
   * reloads. (The folder, not the file: an atomic write replaces the file, which would end a
   * watch on the file itself.) Returns the function that stops watching.
   */
  watch(): () => void {
    if (this.watcher) return () => this.unwatch();
    let timer: NodeJS.Timeout | null = null;
    try {
      this.watcher = watch(this.dataDir, { persistent: false }, (_event, name) => {
        // The settings file, or the classroom lock (which pins settings) changed.
        if (name !== null && name !== SETTINGS_FILE_NAME && name !== 'classroom-lock.json') return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          void this.queue.then(() => this.reload()).catch(() => undefined);
        }, 50);
        timer.unref();
      });
      this.watcher.on('error', () => this.unwatch());
    } catch {
      // No watching on this file system: changes from the CLI apply at the next start or change.
    }
    return () => this.unwatch();
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  private replaceState(settings: Settings): void {
    this.state = { settings, recovery: this.state.recovery };
    // The change is saved: a failing listener must not make it look as if it were not.
    for (const listener of this.listeners) {
      try {
        listener(this.get());
      } catch {
        // Listeners report their own failures; the update stands.
      }
    }
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
      preparePrivateDataDir(this.dataDir);
      await writeFileAtomically(this.file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw fileWriteError(this.file, error, 'settings_unwritable');
    }
  }
}

function freshState(): SettingsState {
  return { settings: { ...DEFAULT_SETTINGS }, recovery: null };
}

type FileRead = { kind: 'missing' } | { kind: 'text'; text: string } | { kind: 'error'; code: string };

async function readSettingsFile(file: string): Promise<FileRead> {
  try {
    return { kind: 'text', text: decodePersonsText(await fs.readFile(file)) };
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
    } catch {
      return null;
    }
    // A rename keeps the mode: a settings file someone wrote 0644 would stay readable by every
    // user inside the private data folder. The copy is kept whatever chmod says.
    if (process.platform !== 'win32') await fs.chmod(target, 0o600).catch(() => undefined);
    return target;
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
