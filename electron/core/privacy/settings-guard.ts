import { AtelierError } from '../../../shared/errors';
import type { SettingsPatch } from '../../../shared/settings';
import type { ManagedPolicy } from './policy-file';

/** Settings that decide where words go: the ones a school's policy (or a classroom lock) protects. */
const PROTECTED: (keyof SettingsPatch)[] = ['privacy', 'bedrock', 'endpoints', 'roles'];

function managedBy(managed: ManagedPolicy): string {
  return managed.state === 'none' ? '' : ` (${managed.file})`;
}

const CLASSROOM_LOCKED = new AtelierError(
  'settings_locked',
  'Atelier is locked for this class: the privacy setting, the providers and their keys cannot be changed.',
  'Ask your teacher to unlock it ("atelier unlock", or Settings → Privacy).',
);

/**
 * Refuses a settings change the school's policy file pins or locks, or that the classroom lock
 * protects (`classroomLocked`).
 */
export function assertSettingsChangeAllowed(patch: SettingsPatch, managed: ManagedPolicy, classroomLocked = false): void {
  if (classroomLocked && PROTECTED.some((key) => patch[key] !== undefined)) throw CLASSROOM_LOCKED;
  if (managed.state === 'invalid' && patch.privacy?.tier !== undefined && patch.privacy.tier !== 'dsgvo_local') {
    throw new AtelierError('settings_locked', 'The school’s policy file cannot be used, so only the strictest privacy tier is allowed.', `Ask your school’s IT to fix ${managed.file}.`);
  }
  if (managed.state !== 'valid') return;
  const { policy } = managed;
  if (policy.tier !== undefined && patch.privacy?.tier !== undefined && patch.privacy.tier !== policy.tier) {
    throw new AtelierError('settings_locked', `Your school manages the privacy tier${managedBy(managed)}; it stays as the school set it.`, 'Ask your school’s IT if you need another tier.');
  }
  if (policy.lockSettings && PROTECTED.some((key) => patch[key] !== undefined)) {
    throw new AtelierError('settings_locked', `Your school manages these settings${managedBy(managed)}.`, 'Ask your school’s IT if something needs to change.');
  }
}

/** Refuses saving or removing credentials when the school locks settings, or the class is locked. */
export function assertCredentialsChangeAllowed(managed: ManagedPolicy, classroomLocked = false): void {
  if (classroomLocked) throw CLASSROOM_LOCKED;
  if (managed.state === 'valid' && managed.policy.lockSettings) {
    throw new AtelierError('settings_locked', `Your school manages the providers and their keys${managedBy(managed)}.`, 'Ask your school’s IT if a key needs to change.');
  }
}
