import { useCallback, useEffect, useState } from 'react';
import type { BudgetStatus } from '../../shared/usage';
import { call } from '../ipc/client';

/**
 * The budget in force and what is spent against it, read when the component mounts and again
 * on `refresh()`. A failed read leaves the last one standing: the budget is advice here, main
 * enforces it on every request.
 */
export function useBudget() {
  const [budget, setBudget] = useState<BudgetStatus | null>(null);
  const refresh = useCallback(() => {
    call('usage:get-budget').then(setBudget, () => undefined);
  }, []);
  useEffect(() => {
    refresh();
  }, [refresh]);
  return { budget, setBudget, refresh };
}
