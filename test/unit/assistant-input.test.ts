import { describe, expect, it } from 'vitest';
import { draftOf, parseDraft, parseTemperature, problemsInMessage, temperatureText } from '../../renderer/assistants/assistant-input';
import { resolveAssistantModel } from '../../renderer/assistants/assistant-model';
import type { ModelCatalogue } from '../../shared/models';

const draft = { name: ' Mathe ', description: '', systemPrompt: ' Hilf. ', model: '', temperature: '', openingMessage: '  ' };

describe('the assistant form’s input', () => {
  it('trims, and reads empty fields as “none” (model, temperature, opening message)', () => {
    expect(parseDraft(draft)).toEqual({ ok: true, fields: { name: 'Mathe', description: '', systemPrompt: 'Hilf.', model: null, temperature: null, openingMessage: null } });
    expect(parseDraft({ ...draft, model: 'fast', temperature: '0,7', openingMessage: 'Hallo!' })).toMatchObject({ ok: true, fields: { model: 'fast', temperature: 0.7, openingMessage: 'Hallo!' } });
  });

  it('names each field that cannot be saved', () => {
    expect(parseDraft({ ...draft, name: ' ', systemPrompt: '', temperature: '2.5', description: 'x'.repeat(301) })).toEqual({
      ok: false,
      problems: { name: 'required', systemPrompt: 'required', temperature: 'temperature', description: 'too-long' },
    });
    expect(parseDraft({ ...draft, name: 'x'.repeat(81), openingMessage: 'x'.repeat(2001) })).toEqual({ ok: false, problems: { name: 'too-long', openingMessage: 'too-long' } });
  });

  it('takes a temperature from 0 to 2 with a point or a comma, and writes it as the language does', () => {
    expect(['0', '2', '.5', '1.', '1,25', ' 0.7 '].map((text) => parseTemperature(text))).toEqual([0, 2, 0.5, 1, 1.25, 0.7].map((value) => ({ ok: true, value })));
    for (const text of ['-1', '2.01', 'warm', '1.000,5', '1e0']) expect(parseTemperature(text), text).toEqual({ ok: false });
    expect(temperatureText(0.7, 'de')).toBe('0,7');
    expect(temperatureText(0.7, 'en')).toBe('0.7');
    expect(draftOf(null, 'en')).toEqual({ name: '', description: '', systemPrompt: '', model: '', temperature: '', openingMessage: '' });
  });

  it('finds each field in main’s message, to show it there', () => {
    expect(problemsInMessage('That assistant cannot be saved: name: an assistant needs a name; temperature: a temperature from 0 to 2.')).toEqual({
      name: 'an assistant needs a name',
      temperature: 'a temperature from 0 to 2',
    });
    expect(problemsInMessage('Atelier is locked for this class: assistants cannot be added, changed or deleted.')).toEqual({});
  });

  it('resolves a role through the catalogue; a model it does not list is not available', () => {
    const catalogue: ModelCatalogue = {
      groups: [{ provider: 'local', configured: true, problem: null, models: [{ id: 'local/a', routeClass: 'local', takesImages: false, available: true, unavailable: null }] }],
      roles: [
        { role: 'fast', model: 'local/a', source: 'hardware', available: true },
        { role: 'advanced', model: null, source: null, available: false },
        { role: 'extreme', model: null, source: null, available: false },
      ],
    };
    expect(resolveAssistantModel('fast', catalogue)).toEqual({ model: 'local/a', available: true });
    expect(resolveAssistantModel('advanced', catalogue)).toBeNull();
    expect(resolveAssistantModel('local/a', catalogue)).toEqual({ model: 'local/a', available: true });
    expect(resolveAssistantModel('anthropic/x', catalogue)).toEqual({ model: 'anthropic/x', available: false });
    expect(resolveAssistantModel(null, catalogue)).toBeNull();
  });
});
