import type { Assistant, AssistantFields } from '../../shared/assistants';
import type { ModelCatalogue } from '../../shared/models';

/**
 * The most each text may hold, as shared/assistants.ts's schema allows (main checks again).
 * Written out here so the form does not pull the schema library into the renderer.
 */
export const ASSISTANT_LIMITS = { name: 80, description: 300, systemPrompt: 20_000, openingMessage: 2000 } as const;

export const draftFields = ['name', 'description', 'systemPrompt', 'model', 'temperature', 'openingMessage'] as const;
export type DraftField = (typeof draftFields)[number];

/** Why a field cannot be saved as typed. */
export type FieldProblem = 'required' | 'too-long' | 'temperature';

/** The form as typed: every field as text; `model` '' is "whichever model is picked". */
export type AssistantDraft = Record<DraftField, string>;

export type ParsedDraft = { ok: true; fields: AssistantFields } | { ok: false; problems: Partial<Record<DraftField, FieldProblem>> };

/** A temperature as the field shows it, in the UI's way of writing decimals (0.7 / 0,7); empty for the provider's default. */
export function temperatureText(value: number | null, language: string): string {
  if (value === null) return '';
  const text = String(value);
  return language.startsWith('de') ? text.replace('.', ',') : text;
}

/** The form's starting text: an assistant's fields, or empty ones for a new assistant. */
export function draftOf(assistant: Assistant | null, language: string): AssistantDraft {
  return {
    name: assistant?.name ?? '',
    description: assistant?.description ?? '',
    systemPrompt: assistant?.systemPrompt ?? '',
    model: assistant?.model ?? '',
    temperature: temperatureText(assistant?.temperature ?? null, language),
    openingMessage: assistant?.openingMessage ?? '',
  };
}

/**
 * Reads a temperature as typed: empty is the provider's default (null); otherwise a number from
 * 0 to 2, with a point or a comma before the decimals (no thousands to confuse it with here).
 */
export function parseTemperature(text: string): { ok: true; value: number | null } | { ok: false } {
  const value = text.trim().replace(',', '.');
  if (value === '') return { ok: true, value: null };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) return { ok: false };
  const number = Number(value);
  return number >= 0 && number <= 2 ? { ok: true, value: number } : { ok: false };
}

/** Checks the form before anything is sent; main checks the same rules again. */
export function parseDraft(draft: AssistantDraft): ParsedDraft {
  const problems: Partial<Record<DraftField, FieldProblem>> = {};
  const name = draft.name.trim();
  const description = draft.description.trim();
  const systemPrompt = draft.systemPrompt.trim();
  const openingMessage = draft.openingMessage.trim();
  if (name === '') problems.name = 'required';
  else if (name.length > ASSISTANT_LIMITS.name) problems.name = 'too-long';
  if (description.length > ASSISTANT_LIMITS.description) problems.description = 'too-long';
  if (systemPrompt === '') problems.systemPrompt = 'required';
  else if (systemPrompt.length > ASSISTANT_LIMITS.systemPrompt) problems.systemPrompt = 'too-long';
  if (openingMessage.length > ASSISTANT_LIMITS.openingMessage) problems.openingMessage = 'too-long';
  const temperature = parseTemperature(draft.temperature);
  if (!temperature.ok) problems.temperature = 'temperature';
  if (Object.keys(problems).length > 0 || !temperature.ok) return { ok: false, problems };
  return {
    ok: true,
    fields: {
      name,
      description,
      systemPrompt,
      model: draft.model.trim() === '' ? null : draft.model.trim(),
      temperature: temperature.value,
      openingMessage: openingMessage === '' ? null : openingMessage,
    },
  };
}

/**
 * Main's words for each field it refused, from its message ("That assistant cannot be saved:
 * name: an assistant needs a name; temperature: a temperature from 0 to 2."), so each can be
 * shown next to its field. Fields it does not name are left out.
 */
export function problemsInMessage(message: string): Partial<Record<DraftField, string>> {
  const found: Partial<Record<DraftField, string>> = {};
  for (const field of draftFields) {
    const match = new RegExp(`(?:^|[:;]\\s)${field}: ([^;]+?)(?=;|\\.?$)`).exec(message);
    if (match?.[1]) found[field] = match[1];
  }
  return found;
}

/** Whether the catalogue lists this model id (available now or not). */
export function isKnownModel(model: string, catalogue: ModelCatalogue | null): boolean {
  return catalogue?.groups.some((group) => group.models.some((candidate) => candidate.id === model)) ?? false;
}
