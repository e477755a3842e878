/**
 * The classroom lock set or lifted in this window (Settings → Privacy): panels that are disabled
 * under it read it again at once. A lock is no settings change, so `settings:changed` does not
 * say so; a lock set from the CLI is seen when Settings is opened again, or when main refuses.
 */
const EVENT = 'atelier:classroom-lock-changed';

export function announceLockChanged(): void {
  window.dispatchEvent(new Event(EVENT));
}

export function onLockChanged(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
