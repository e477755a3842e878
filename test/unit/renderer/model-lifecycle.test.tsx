import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelPicker } from '../../../renderer/chat/ModelPicker';
import { initI18n } from '../../../renderer/i18n';
import type { ModelCatalogue } from '../../../shared/models';

const i18n = initI18n('en');
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('en');
});

const catalogue: ModelCatalogue = {
  groups: [
    {
      provider: 'anthropic',
      configured: true,
      problem: null,
      models: [
        { id: 'anthropic/claude-sonnet-4-5', routeClass: 'non-eu', takesImages: true, available: false, unavailable: { reason: 'retired', message: 'English text from main' }, lifecycle: 'retired', retiresOn: '2026-11-30', successor: 'anthropic/claude-sonnet-4-6' },
        { id: 'anthropic/claude-haiku-4-5', routeClass: 'non-eu', takesImages: true, available: true, unavailable: null, lifecycle: 'deprecated', retiresOn: '2027-03-01', successor: 'anthropic/claude-haiku-5' },
        { id: 'anthropic/claude-sonnet-4-6', routeClass: 'non-eu', takesImages: true, available: true, unavailable: null },
      ],
    },
  ],
  roles: [],
} as unknown as ModelCatalogue;

describe('the model picker and models on their way out', () => {
  it('says in the UI’s language that a model is retired or deprecated, and what to use instead', async () => {
    render(<ModelPicker catalogue={catalogue} value="anthropic/claude-sonnet-4-6" onChange={() => undefined} onOpen={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: /^Model:/ }));
    const retired = screen.getByRole('option', { name: /^anthropic\/claude-sonnet-4-5/ });
    expect(retired.getAttribute('aria-disabled')).toBe('true');
    expect(retired.textContent).toContain('Retired by its provider on 2026-11-30: it no longer answers. Use anthropic/claude-sonnet-4-6 instead.');
    expect(screen.getByRole('option', { name: /^anthropic\/claude-haiku-4-5/ }).textContent).toContain('Deprecated by its provider; it stops answering on 2027-03-01. Use anthropic/claude-haiku-5 instead.');
    expect(screen.getByRole('option', { name: /^anthropic\/claude-sonnet-4-6/ }).textContent).not.toMatch(/Retired|Deprecated/);
    await i18n.changeLanguage('de');
    expect(screen.getByRole('option', { name: /^anthropic\/claude-sonnet-4-5/ }).textContent).toContain('Vom Anbieter am 2026-11-30 abgeschaltet');
  });
});
