import { useCallback, useEffect, useState } from 'react';
import type { SettingsPatch } from '../../shared/settings';
import { call, IpcCallError } from '../ipc/client';
import { onLockChanged } from '../settings/privacy-lock-events';

/** Who keeps the local endpoint's settings and tokens as they are: a teacher's classroom lock, or the school's policy. */
export type EndpointLock = 'classroom' | 'school' | null;

/**
 * Whether the endpoint can be changed here, from `privacy:get-state`: read when mounted, whenever
 * `refreshKey` changes (the settings changed), when the lock is set or lifted in Settings →
 * Privacy, and on `reload` (main refused a change: a lock set meanwhile from the CLI). Unknown (null) until read; a failed read counts as unlocked, and main still refuses.
 */
export function useEndpointLock(refreshKey: unknown): { lock: EndpointLock; reload: () => void } {
  const [lock, setLock] = useState<EndpointLock>(null);
  const reload = useCallback(() => {
    call('privacy:get-state').then(
      (privacy) => setLock(privacy.classroomLocked ? 'classroom' : privacy.schoolLocksSettings ? 'school' : null),
      () => setLock(null),
    );
  }, []);
  useEffect(() => reload(), [reload, refreshKey]);
  useEffect(() => onLockChanged(reload), [reload]);
  return { lock, reload };
}

/** A refusal from main as the panel shows it: its message, and what to do. */
export interface Failure {
  message: string;
  hint: string | null;
  /** main refused because a lock keeps the settings (read the lock again). */
  locked: boolean;
}

export function failureOf(error: unknown): Failure {
  return {
    message: error instanceof Error ? error.message : String(error),
    hint: error instanceof IpcCallError ? (error.hint ?? null) : null,
    locked: error instanceof IpcCallError && error.code === 'settings_locked',
  };
}

/** Saves a change of the gateway settings: resolves with null when saved, else with main's refusal. */
export type SaveGateway = (patch: NonNullable<SettingsPatch['gateway']>) => Promise<Failure | null>;
