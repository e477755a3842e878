import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerFooter } from '../../../renderer/chat/AnswerFooter';
import { initI18n } from '../../../renderer/i18n';
import type { StoredMessage } from '../../../shared/conversations';
import type { Provenance } from '../../../shared/privacy';

const i18n = initI18n('en');
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('en');
});

const LOCAL: Provenance = { tier: 'dsgvo_local', routeClass: 'local', provider: 'local', region: null, host: '127.0.0.1', modelId: 'llama3.2:3b', contextTokens: 8192 };

const answer = (provenance: Provenance): StoredMessage => ({
  id: 2,
  conversationId: 1,
  role: 'assistant',
  parts: [{ type: 'text', text: 'Hallo' }],
  model: 'local/llama3.2:3b',
  status: 'complete',
  notices: [],
  error: null,
  provenance,
  usage: { inputTokens: 12, outputTokens: 5, costUsd: 0 },
  timings: { startedAt: '2026-12-01T10:00:00.000Z', firstTokenMs: 2400, durationMs: 3100 },
  createdAt: '2026-12-01T10:00:00.000Z',
});

describe('under an answer, the messages left out to fit the model', () => {
  it('says how many earlier messages were not sent and the model’s context, in English and German; nothing when none were', async () => {
    const { rerender } = render(<AnswerFooter message={answer({ ...LOCAL, omittedMessages: 374 })} />);
    expect(screen.getByTestId('omitted').textContent).toBe('374 earlier messages were not sent, so the conversation fits this model (context: 8,192 tokens).');
    rerender(<AnswerFooter message={answer({ ...LOCAL, omittedMessages: 1 })} />);
    expect(screen.getByTestId('omitted').textContent).toMatch(/^1 earlier message was not sent/);
    await i18n.changeLanguage('de');
    rerender(<AnswerFooter message={answer({ ...LOCAL, omittedMessages: 12 })} />);
    expect(screen.getByTestId('omitted').textContent).toBe('12 frühere Nachrichten wurden nicht mitgeschickt, damit das Gespräch in dieses Modell passt (Kontext: 8.192 Tokens).');
    rerender(<AnswerFooter message={answer(LOCAL)} />);
    expect(screen.queryByTestId('omitted')).toBeNull();
  });
});
