import type { Assistant, ConversationAssistant } from '../../../shared/assistants';
import type { ChatRequest } from '../../../shared/chat';
import { AtelierError } from '../../../shared/errors';
import type { PrivacyPolicy } from '../privacy/policy';

/** Finds a built-in or user assistant by id (the school's come from the policy). */
export type AssistantLookup = (id: string) => Assistant | null;

/**
 * The pipeline's assistant step: a request naming an assistant gets its instructions as the
 * system prompt and its temperature as the default. The school's assistants come from its policy
 * file and cannot be added to; where the school allows only its assistants, any other request is
 * refused before anything is sent.
 */
export function applyAssistant(request: ChatRequest, policy: PrivacyPolicy, lookup: AssistantLookup | undefined, saved: ConversationAssistant | null = null): ChatRequest {
  const school = policy.schoolAssistants ?? [];
  const schoolOnly = policy.assistantsOnly === true;
  if (request.assistant === undefined) {
    if (schoolOnly) throw schoolOnlyDenial(school);
    return request;
  }
  const fromSchool = school.find((assistant) => assistant.id === request.assistant);
  if (!fromSchool && schoolOnly) throw schoolOnlyDenial(school);
  if (!fromSchool && saved?.source === 'school' && saved.id === request.assistant) {
    throw new AtelierError('policy_denied', `Your school no longer offers the assistant “${saved.name}”.`, 'Start a new conversation with one of your school’s assistants.');
  }
  // A saved conversation goes on with the instructions it was started with (the user's own and
  // built-in assistants may have changed or gone since); the school's are always as it says now.
  const kept = !fromSchool && saved !== null && saved.id === request.assistant ? { ...saved, temperature: saved.temperature ?? null } : null;
  const assistant = fromSchool ?? kept ?? lookup?.(request.assistant) ?? null;
  if (!assistant) {
    throw new AtelierError('invalid_request', `There is no assistant “${request.assistant}” (any more).`, 'Pick another assistant, or start a new conversation without one.');
  }
  if (fromSchool && request.system !== undefined && request.system.trim() !== '') {
    throw new AtelierError(
      'policy_denied',
      `“${assistant.name}” is your school’s assistant: its instructions cannot be added to or replaced.`,
      'Leave out the system prompt (--system), or ask without the assistant where your school allows it.',
    );
  }
  const extra = request.system?.trim() ? `\n\n${request.system}` : '';
  const temperature = request.temperature ?? assistant.temperature ?? undefined;
  return {
    ...request,
    system: `${assistant.systemPrompt}${extra}`,
    ...(temperature !== undefined && { temperature }),
  };
}

function schoolOnlyDenial(school: readonly Assistant[]): AtelierError {
  const names = school.map((assistant) => `${assistant.id} (${assistant.name})`).join(', ');
  return new AtelierError(
    'policy_denied',
    'Your school allows chats only with its own assistants.',
    names === '' ? 'The school’s policy file names no assistant: ask your school’s IT to add one.' : `Pick one of your school’s assistants: ${names}.`,
  );
}
