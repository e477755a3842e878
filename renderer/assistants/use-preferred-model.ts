import { useEffect, useRef } from 'react';
import type { Assistant } from '../../shared/assistants';
import type { ModelCatalogue } from '../../shared/models';
import { resolveAssistantModel } from './assistant-model';

/**
 * When an assistant is picked for a new conversation, its preferred model (a role resolved
 * through the catalogue) is chosen in the model picker, once per pick: the user may choose
 * another afterwards. Returns the preferred model when it cannot be chosen now (the privacy
 * setting, a missing key), for the view to say so; the model picked stays.
 */
export function usePreferredModel(assistant: Assistant | null, catalogue: ModelCatalogue | null, current: string | null, choose: (model: string) => void): string | null {
  const applied = useRef<string | null>(null);
  const preferred = assistant && catalogue ? resolveAssistantModel(assistant.model, catalogue) : null;
  useEffect(() => {
    if (!assistant) {
      applied.current = null;
      return;
    }
    if (!preferred || applied.current === assistant.id) return;
    applied.current = assistant.id;
    if (preferred.available && preferred.model !== current) choose(preferred.model);
  }, [assistant, preferred?.model, preferred?.available, current, choose]); // eslint-disable-line react-hooks/exhaustive-deps
  return preferred && !preferred.available ? preferred.model : null;
}
