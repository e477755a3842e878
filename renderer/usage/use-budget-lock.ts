import { useEffect, useState } from 'react';
import { call } from '../ipc/client';

/**
 * Whether the budget can be changed here: true when the school's policy or the classroom lock
 * keeps it, false when it can be, null while unknown (or when `ask` is false). Read once, for a
 * budget_exceeded error's fix button. A failed read counts as changeable: the Usage view then
 * says for itself whether the fields can be used.
 */
export function useBudgetLock(ask: boolean): boolean | null {
  const [locked, setLocked] = useState<boolean | null>(null);
  useEffect(() => {
    if (!ask) return;
    let current = true;
    call('usage:get-budget').then(
      (budget) => current && setLocked(budget.lockedBy !== null),
      () => current && setLocked(false),
    );
    return () => {
      current = false;
    };
  }, [ask]);
  return ask ? locked : null;
}
