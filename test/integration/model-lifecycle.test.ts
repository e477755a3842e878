import { describe, expect, it } from 'vitest';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { knownLifecycle } from '../../electron/core/models/lifecycle';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { createAnthropicFake } from '../fakes/anthropic-fake';
import { FAKE_KEYS, useProviderFakes } from '../support/provider-fakes';
import { anyProviderHome } from '../support/settings-file';
import { runAtelier } from '../support/run-cli';

const useFakes = useProviderFakes();

describe('retired and deprecated models where they are set and used', () => {
  it('a retired model is refused as a role or a fallback, with its successor', async () => {
    const home = await anyProviderHome();
    const env = { ...useFakes().env, ATELIER_HOME: home };
    const role = await runAtelier(['settings', 'set', 'roles.fast', 'anthropic/claude-sonnet-4-5'], { env });
    expect(role).toMatchObject({ code: 2, stderr: expect.stringContaining('was retired on 2026-11-30') as unknown });
    expect(role.stderr).toContain('atelier settings set roles.fast anthropic/claude-sonnet-4-6');
    const fallback = await runAtelier(['fallback', 'set', 'advanced', 'anthropic/claude-3-5-sonnet-20241022'], { env });
    expect(fallback.stderr).toContain('was retired on 2025-10-28');
    expect((await runAtelier(['settings', 'set', 'roles.fast', 'anthropic/claude-sonnet-4-6'], { env })).code).toBe(0);
  });

  it('a model whose retirement is announced answers with a notice naming the day and the successor', async () => {
    const anthropic = await createAnthropicFake({ validKey: FAKE_KEYS.anthropic }).start();
    try {
      const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(DEFAULT_SETTINGS, { ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: anthropic.url }) });
      const answer = await collectAnswer(router.stream({ model: 'anthropic/claude-opus-4-5', messages: [{ role: 'user', content: 'Hallo' }] }));
      // Until its day it answers with the notice; from then on it is refused (checked either way, so the test holds after the day too).
      if (knownLifecycle('anthropic', 'claude-opus-4-5')?.lifecycle === 'deprecated') {
        expect(answer.error).toBeNull();
        expect(answer.notices).toContain('anthropic/claude-opus-4-5 is deprecated by its provider and stops answering on 2027-01-22; use anthropic/claude-opus-4-6.');
      } else {
        expect(answer.error?.code).toBe('model_not_found');
      }
      const current = await collectAnswer(router.stream({ model: 'anthropic/claude-opus-4-6', messages: [{ role: 'user', content: 'Hallo' }] }));
      expect(current.notices).toEqual([]);
    } finally {
      await anthropic.close();
    }
  });
});
