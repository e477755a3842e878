import { useCallback, useEffect, useState } from 'react';
import type { GatewayStatus, ServeToken } from '../../shared/gateway';
import { call } from '../ipc/client';

/** How often the token list is read again while the window is visible (a client's "last used" moves on). */
const TOKENS_REFRESH_MS = 30_000;

/**
 * The local endpoint's status from main: read once, then kept current from
 * `gateway:status-changed` (started, stopped, moved, or why it could not start).
 */
export function useGatewayStatus(): GatewayStatus | null {
  const [status, setStatus] = useState<GatewayStatus | null>(null);
  useEffect(() => {
    let active = true;
    const unsubscribe = window.atelier.on('gateway:status-changed', (next) => {
      if (active) setStatus(next);
    });
    call('gateway:get-status').then(
      (loaded) => active && setStatus((current) => current ?? loaded),
      () => undefined,
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, []);
  return status;
}

/**
 * The clients' tokens as listed (masked, never the token): read when mounted, after a change
 * (`reload`), when the window becomes visible again and every 30 s while it is, so "last used"
 * follows the clients' requests. null until the first answer.
 */
export function useServeTokens(): { tokens: ServeToken[] | null; reload: () => void } {
  const [tokens, setTokens] = useState<ServeToken[] | null>(null);
  const reload = useCallback(() => {
    call('gateway:list-tokens').then(
      (listed) => setTokens(listed.tokens),
      () => setTokens((current) => current ?? []),
    );
  }, []);
  useEffect(() => {
    reload();
    const onVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, TOKENS_REFRESH_MS);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', reload);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', reload);
    };
  }, [reload]);
  return { tokens, reload };
}
