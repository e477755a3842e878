import { AtelierError } from '../../../shared/errors';
import type { SettingsPatch } from '../../../shared/settings';
import { CLASSROOM_LOCKED, type ClassroomLock } from './classroom-lock';
import type { ManagedPolicy, PolicyFileReader } from './policy-file';
import { schoolServerOf } from '../school/school-server';

/** Settings that decide where words go: the ones a school's policy (or a classroom lock) protects. */
const PROTECTED: (keyof SettingsPatch)[] = ['privacy', 'bedrock', 'endpoints', 'roles', 'budget', 'fallbacks', 'gateway', 'mcp'];

/** Whether a change touches what the school's policy or the classroom lock protects (the Ollama address too). */
export function touchesProtectedSettings(patch: SettingsPatch): boolean {
  return PROTECTED.some((key) => patch[key] !== undefined) || patch.ollama?.host !== undefined;
}

function managedBy(managed: ManagedPolicy): string {
  return managed.state === 'none' ? '' : ` (${managed.file})`;
}

/**
 * Refuses a settings change the school's policy file pins or locks, or that the classroom lock
 * protects (`classroomLocked`).
 */
export function assertSettingsChangeAllowed(patch: SettingsPatch, managed: ManagedPolicy, classroomLocked = false): void {
  if (classroomLocked && touchesProtectedSettings(patch)) throw CLASSROOM_LOCKED;
  if (managed.state === 'invalid' && patch.privacy?.tier !== undefined && patch.privacy.tier !== 'dsgvo_local') {
    throw new AtelierError('settings_locked', 'The school’s policy file cannot be used, so only the strictest privacy tier is allowed.', `Ask your school’s IT to fix ${managed.file}.`);
  }
  if (managed.state !== 'valid') return;
  const { policy } = managed;
  const server = schoolServerOf(managed);
  if (server && patch.endpoints?.some((endpoint) => endpoint.prefix === server.prefix && endpoint.baseUrl !== server.baseUrl)) {
    throw new AtelierError('settings_locked', `Your school sets the endpoint “${server.prefix}” to its own server${managedBy(managed)}; it stays as the school set it.`, 'Add your own endpoint under another prefix (atelier endpoints add PREFIX URL).');
  }
  if (policy.tier !== undefined && patch.privacy?.tier !== undefined && patch.privacy.tier !== policy.tier) {
    throw new AtelierError('settings_locked', `Your school manages the privacy tier${managedBy(managed)}; it stays as the school set it.`, 'Ask your school’s IT if you need another tier.');
  }
  if (policy.budget !== undefined && patch.budget !== undefined) {
    throw new AtelierError('settings_locked', `Your school sets the budget${managedBy(managed)}; it stays as the school set it.`, 'Ask your school’s IT if the budget needs to change.');
  }
  if (policy.fallbacks !== undefined && patch.fallbacks !== undefined) {
    throw new AtelierError('settings_locked', `Your school sets the fallback chains${managedBy(managed)}; they stay as the school set them.`, 'Ask your school’s IT if a chain needs to change.');
  }
  if (policy.lockSettings && touchesProtectedSettings(patch)) {
    throw new AtelierError('settings_locked', `Your school manages these settings${managedBy(managed)}.`, 'Ask your school’s IT if something needs to change.');
  }
}

/**
 * Refuses saving or removing credentials when the school locks settings, or the class is locked.
 * The student's own key for the school's server (`name`: `endpoint:school`) stays theirs to save
 * when the school locks settings: it decides whose budget pays, never where words go.
 */
export function assertCredentialsChangeAllowed(managed: ManagedPolicy, classroomLocked = false, name?: string): void {
  if (classroomLocked) throw CLASSROOM_LOCKED;
  const server = schoolServerOf(managed);
  if (server && name === `endpoint:${server.prefix}`) return;
  if (managed.state === 'valid' && managed.policy.lockSettings) {
    throw new AtelierError('settings_locked', `Your school manages the providers and their keys${managedBy(managed)}.`, 'Ask your school’s IT if a key needs to change.');
  }
}

/**
 * The settings store's guard (it runs under the data folder's lock, with the file as it is): the
 * classroom lock first, read from the data folder, then the school's policy file.
 */
export function guardSettings(policyFile: PolicyFileReader, lock: ClassroomLock): (patch: SettingsPatch) => Promise<void> {
  return async (patch) => {
    if (touchesProtectedSettings(patch)) await lock.assertUnlocked();
    assertSettingsChangeAllowed(patch, policyFile.read());
  };
}

/** Refuses saving, removing or importing credentials (`name`, when one) while the class or the school locks them. */
export async function guardCredentials(policyFile: PolicyFileReader, lock: ClassroomLock, name?: string): Promise<void> {
  await lock.assertUnlocked();
  assertCredentialsChangeAllowed(policyFile.read(), false, name);
}
