import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssistantList } from '../../shared/assistants';
import { call } from '../ipc/client';

/**
 * Every assistant (the school's, the built-in ones, the user's own) and whether they can be
 * changed now: read when the component mounts, when the UI's language changes (the built-in
 * ones come in it) and on `refresh()`. `failure` is main's message when the read failed.
 * `ask` false reads nothing until it turns true (the chat during the first run has no use for it).
 */
export function useAssistantList(ask = true) {
  const { i18n } = useTranslation();
  const [list, setList] = useState<AssistantList | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = useCallback(
    () =>
      call('assistants:list').then(
        (next) => {
          setList(next);
          setFailure(null);
          return next;
        },
        (error: unknown) => {
          setFailure((error as Error).message);
          return null;
        },
      ),
    [],
  );
  useEffect(() => {
    if (ask) void refresh();
  }, [refresh, i18n.language, ask]);
  return { list, failure, refresh };
}
