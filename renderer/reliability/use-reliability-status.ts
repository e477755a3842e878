import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReliabilityStatus } from '../../shared/reliability';
import { call } from '../ipc/client';

/** How often the status is read again while the window is visible. */
export const STATUS_REFRESH_MS = 30_000;
/** setTimeout's longest wait; a cool-down that ends later is caught by the regular refresh. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export interface ReliabilityStatusState {
  status: ReliabilityStatus | null;
  /** Asking the providers for their model lists (Check now). */
  checking: boolean;
  /** When Check now last finished. */
  checkedAt: Date | null;
  /** Why the status could not be read; null when it could. */
  problem: string | null;
  checkNow: () => void;
}

/**
 * The providers' and routes' health from main: read when the caller mounts, whenever
 * `refreshKey` changes (an answer ended), every 30 s while the window is visible, when it
 * becomes visible again, and just after the first cool-down ends. `checkNow` first asks each
 * provider for its (free) model list. Only the latest request's answer is shown, so a slow
 * reading does not overwrite a newer one; while a check runs, the plain readings wait for it.
 */
export function useReliabilityStatus(refreshKey: number): ReliabilityStatusState {
  const [status, setStatus] = useState<ReliabilityStatus | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const latest = useRef(0);
  const mounted = useRef(true);
  const checkingNow = useRef(false);

  const load = useCallback((check: boolean): Promise<boolean> => {
    // A check under way brings a newer reading than a plain one started meanwhile.
    if (!check && checkingNow.current) return Promise.resolve(false);
    const request = ++latest.current;
    const current = () => mounted.current && request === latest.current;
    return call('reliability:get-status', check ? { check: true } : {}).then(
      (next) => {
        if (!current()) return false;
        setStatus(next);
        setProblem(null);
        return true;
      },
      (error: unknown) => {
        if (current()) setProblem(error instanceof Error ? error.message : String(error));
        return false;
      },
    );
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    void load(false);
  }, [load, refreshKey]);

  useEffect(() => {
    const visible = () => document.visibilityState === 'visible';
    const timer = setInterval(() => {
      if (visible()) void load(false);
    }, STATUS_REFRESH_MS);
    const onVisibility = () => {
      if (visible()) void load(false);
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [load]);

  // A cool-down that ends shows as ended at once, not up to 30 s later.
  useEffect(() => {
    const ends = (status?.providers ?? []).flatMap((provider) => (provider.coolingUntil ? [Date.parse(provider.coolingUntil)] : [])).filter((time) => !Number.isNaN(time));
    if (ends.length === 0) return;
    const wait = Math.min(...ends) - Date.now() + 1000;
    if (wait > LONGEST_TIMER_MS) return;
    const timer = setTimeout(() => void load(false), Math.max(1000, wait));
    return () => clearTimeout(timer);
  }, [status, load]);

  const checkNow = useCallback(() => {
    if (checkingNow.current) return;
    checkingNow.current = true;
    setChecking(true);
    void load(true).then((read) => {
      checkingNow.current = false;
      if (!mounted.current) return;
      setChecking(false);
      if (read) setCheckedAt(new Date());
    });
  }, [load]);

  return { status, checking, checkedAt, problem, checkNow };
}
