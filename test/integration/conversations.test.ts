import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../shared/conversations';
import { createRouterFor } from '../../electron/core/chat/settings-router';
import { ConversationChat, toChatMessages } from '../../electron/core/conversations/conversation-chat';
import { exportConversation } from '../../electron/core/conversations/conversation-export';
import { ConversationStore } from '../../electron/core/conversations/conversation-store';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { openDatabase } from '../../electron/core/store/database';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();

async function setUp(tier: 'dsgvo_local' | 'non_dsgvo' = 'dsgvo_local') {
  const dir = await tempDir();
  await writeSettings(dir, { privacy: { tier } });
  const store = new ConversationStore(openDatabase(dir));
  const router = createRouterFor(await SettingsStore.open(dir), useFakes().env, null);
  return { dir, store, chat: new ConversationChat(store, router, { flushMs: 20 }) };
}

async function drain(stream: AsyncIterable<StreamPart>, onPart: (part: StreamPart) => void = () => undefined): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) {
    parts.push(part);
    onPart(part);
  }
  return parts;
}

describe('conversations in SQLite', () => {
  it('saves the question before sending, and the answer with provenance, usage and timings', async () => {
    const { store, chat } = await setUp();
    const prepared = await chat.send({ conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'Wie heißt die Hauptstadt von Österreich?' }] });
    // Before the stream runs: the question is saved, the answer waits as `streaming`.
    expect(store.messages(prepared.conversation.id).map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'streaming'],
    ]);
    expect(useFakes().ollama.requests).toHaveLength(0);
    expect(prepared.conversation.title).toBe('Wie heißt die Hauptstadt von Österreich?');

    await drain(chat.stream(prepared, new AbortController().signal));
    const [question, answer] = store.messages(prepared.conversation.id);
    expect(question?.parts).toEqual([{ type: 'text', text: 'Wie heißt die Hauptstadt von Österreich?' }]);
    expect(answer).toMatchObject({
      role: 'assistant',
      status: 'complete',
      model: FAKE_MODELS.local,
      parts: [{ type: 'text', text: 'Hello from the fake!' }],
      provenance: { tier: 'dsgvo_local', routeClass: 'local', provider: 'local', host: '127.0.0.1', modelId: 'llama3.2:3b' },
      usage: { inputTokens: expect.any(Number) as unknown, outputTokens: expect.any(Number) as unknown },
      error: null,
    });
    expect(answer?.timings?.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(answer?.timings?.durationMs).toBeGreaterThanOrEqual(answer?.timings?.firstTokenMs ?? 0);
  });

  it('writes a streaming answer in batches, so what arrived is on disk before the answer ends', async () => {
    const { store, chat } = await setUp();
    useFakes().ollama.respondWith({ kind: 'answer', chunks: Array.from({ length: 40 }, (_, index) => `w${index} `), chunkDelayMs: 10 });
    const prepared = await chat.send({ conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'Count' }] });
    const seenOnDisk: string[] = [];
    let deltas = 0;
    await drain(chat.stream(prepared, new AbortController().signal), (part) => {
      if (part.type !== 'text-delta') return;
      deltas++;
      const saved = store.getMessage(prepared.answer.id);
      if (saved.status === 'streaming') seenOnDisk.push(saved.parts[0]?.type === 'text' ? saved.parts[0].text : '');
    });
    const distinct = new Set(seenOnDisk.filter((text) => text !== ''));
    // Some text was saved mid-stream, in fewer writes than there were tokens.
    expect(distinct.size).toBeGreaterThan(0);
    expect(distinct.size).toBeLessThan(deltas);
    expect(store.getMessage(prepared.answer.id).parts).toEqual([{ type: 'text', text: Array.from({ length: 40 }, (_, index) => `w${index} `).join('') }]);
  });

  it('keeps a stopped answer as cancelled with its partial text', async () => {
    const { store, chat } = await setUp();
    useFakes().ollama.respondWith({ kind: 'answer', chunks: Array.from({ length: 50 }, () => 'la '), chunkDelayMs: 15 });
    const prepared = await chat.send({ conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'Sing' }] });
    const controller = new AbortController();
    let deltas = 0;
    const parts = await drain(chat.stream(prepared, controller.signal), (part) => {
      if (part.type === 'text-delta' && ++deltas === 5) controller.abort();
    });
    expect(parts.at(-1)).toMatchObject({ type: 'error', code: 'cancelled' });
    const answer = store.getMessage(prepared.answer.id);
    expect(answer.status).toBe('cancelled');
    expect(answer.error).toBeNull();
    expect(answer.parts[0]?.type === 'text' && answer.parts[0].text.startsWith('la la la la la')).toBe(true);
  });

  it('saves a refused request with its explanation, and nothing reaches the provider', async () => {
    const { store, chat } = await setUp('dsgvo_local');
    const prepared = await chat.send({ conversationId: null, model: FAKE_MODELS.openai, parts: [{ type: 'text', text: 'Hallo' }] });
    await drain(chat.stream(prepared, new AbortController().signal));
    expect(useFakes().openai.requests).toHaveLength(0);
    expect(store.getMessage(prepared.answer.id)).toMatchObject({ status: 'failed', parts: [], error: { code: 'policy_denied' } });
  });

  it('sends the whole conversation, regenerates the last answer, and edits and resends a question', async () => {
    const { store, chat } = await setUp();
    const first = await chat.send({ conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'One' }] });
    await drain(chat.stream(first, new AbortController().signal));
    const second = await chat.send({ conversationId: first.conversation.id, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'Two' }] });
    // Each with its token count as saved with the message.
    expect(second.request.messages).toEqual([
      { role: 'user', content: 'One', tokens: expect.any(Number) as unknown },
      { role: 'assistant', content: 'Hello from the fake!', tokens: expect.any(Number) as unknown },
      { role: 'user', content: 'Two', tokens: expect.any(Number) as unknown },
    ]);
    await drain(chat.stream(second, new AbortController().signal));
    const sentToOllama = JSON.parse(useFakes().ollama.lastRequest().body) as { messages: { role: string; content: string }[] };
    expect(sentToOllama.messages.map((message) => message.content)).toEqual(['One', 'Hello from the fake!', 'Two']);

    const again = await chat.regenerate({ conversationId: first.conversation.id, model: FAKE_MODELS.local });
    expect(again.answer.id).toBeGreaterThan(second.answer.id);
    await drain(chat.stream(again, new AbortController().signal));
    expect(store.messages(first.conversation.id).map((message) => message.id)).toEqual([first.userMessage?.id, first.answer.id, second.userMessage?.id, again.answer.id]);

    const edited = await chat.send({ conversationId: first.conversation.id, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'Two, edited' }], replaceFrom: second.userMessage?.id ?? 0 });
    expect(edited.request.messages.at(-1)).toMatchObject({ role: 'user', content: 'Two, edited' });
    expect(store.messages(first.conversation.id)).toHaveLength(4);
    await expect(chat.send({ conversationId: first.conversation.id, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'x' }], replaceFrom: first.answer.id })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('refuses images for a model that does not take them, before saving anything', async () => {
    const { store, chat } = await setUp();
    const image = { type: 'image' as const, mediaType: 'image/png' as const, data: 'iVBORw0KGgo=' };
    await expect(chat.send({ conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'What is this?' }, image] })).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'local/llama3.2:3b does not take images.',
    });
    await expect(chat.send({ conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: '   ' }] })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(store.listConversations()).toEqual([]);
  });

  it('marks answers left streaming by a crash as interrupted', async () => {
    const { dir, store, chat } = await setUp();
    const prepared = await chat.send({ conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'Hi' }] });
    store.updateAnswer(prepared.answer.id, { text: 'Half an ans' });
    const reopened = new ConversationStore(openDatabase(dir));
    expect(reopened.markInterrupted()).toBe(1);
    expect(reopened.getMessage(prepared.answer.id)).toMatchObject({ status: 'interrupted', parts: [{ type: 'text', text: 'Half an ans' }] });
    expect(reopened.markInterrupted()).toBe(0);
  });

  it('finds old messages by words, accents folded and as prefixes, never by FTS syntax', async () => {
    const { store } = await setUp();
    const homework = store.createConversation();
    store.addMessage({ conversationId: homework.id, role: 'user', parts: [{ type: 'text', text: 'Erkläre die Photosynthese für Klasse 7' }] });
    const other = store.createConversation();
    store.addMessage({ conversationId: other.id, role: 'user', parts: [{ type: 'text', text: 'Ein Gedicht über Müller und den Mühlbach' }] });

    const [hit, ...rest] = store.search('photosynth');
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ conversationId: homework.id, conversationTitle: 'Erkläre die Photosynthese für Klasse 7', role: 'user' });
    expect(hit?.snippet).toContain(`${SNIPPET_MARK_START}Photosynthese${SNIPPET_MARK_END}`);
    expect(store.search('muller').map((found) => found.conversationId)).toEqual([other.id]);
    expect(store.search('"unbalanced OR NOT (*')).toEqual([]);
    expect(store.search('   ')).toEqual([]);

    store.deleteConversation(other.id);
    expect(store.search('muller')).toEqual([]);
    store.restoreConversation(other.id);
    expect(store.search('muller')).toHaveLength(1);
  });

  it('deletes with undo, then for good, messages and search index included', async () => {
    const { store } = await setUp();
    const kept = store.createConversation({ title: 'Kept' });
    const gone = store.createConversation({ title: 'Gone' });
    store.addMessage({ conversationId: gone.id, role: 'user', parts: [{ type: 'text', text: 'Zebrastreifen' }] });
    store.deleteConversation(gone.id);
    expect(store.listConversations().map((conversation) => conversation.title)).toEqual(['Kept']);
    expect(store.restoreConversation(gone.id).title).toBe('Gone');
    store.deleteConversation(gone.id);
    expect(store.purgeDeleted()).toBe(1);
    expect(() => store.restoreConversation(gone.id)).toThrow(/no longer be restored/);
    expect(store.search('zebra')).toEqual([]);
    expect(store.listConversations().map((conversation) => conversation.id)).toEqual([kept.id]);
    expect(() => store.renameConversation(kept.id, '  ')).toThrow(/needs a name/);
    expect(store.renameConversation(kept.id, '  Mathe,   Woche 3 ').title).toBe('Mathe, Woche 3');
  });

  it('exports a conversation as Markdown and as JSON', async () => {
    const { store, chat } = await setUp();
    const prepared = await chat.send({ conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'Was ist ein Ökosystem?' }] });
    await drain(chat.stream(prepared, new AbortController().signal));
    const conversation = store.getConversation(prepared.conversation.id);
    const messages = store.messages(conversation.id);

    const markdown = exportConversation(conversation, messages, 'markdown');
    expect(markdown.fileName).toMatch(/^atelier-was-ist-ein-okosystem-\d{4}-\d{2}-\d{2}\.md$/);
    expect(markdown.content).toContain('# Was ist ein Ökosystem?');
    expect(markdown.content).toContain('## You\n\nWas ist ein Ökosystem?');
    expect(markdown.content).toContain('## Assistant (local/llama3.2:3b)\n\nHello from the fake!');
    expect(markdown.content).toContain('route local');

    const json = exportConversation(conversation, messages, 'json');
    expect(JSON.parse(json.content)).toEqual({ format: 'atelier-conversation', version: 1, conversation, messages });
  });
});

describe('toChatMessages', () => {
  it('leaves out empty answers and joins turns of the same role, so roles alternate', () => {
    const base = { conversationId: 1, model: null, provenance: null, usage: null, timings: null, error: null, notices: [], createdAt: '' };
    const messages = toChatMessages([
      { ...base, id: 1, role: 'user', status: 'complete', parts: [{ type: 'text', text: 'A' }] },
      { ...base, id: 2, role: 'assistant', status: 'failed', parts: [] },
      { ...base, id: 3, role: 'user', status: 'complete', parts: [{ type: 'text', text: 'B' }] },
      { ...base, id: 4, role: 'assistant', status: 'interrupted', parts: [{ type: 'text', text: 'Half' }] },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'A\n\nB' },
      { role: 'assistant', content: 'Half' },
    ]);
  });
});
