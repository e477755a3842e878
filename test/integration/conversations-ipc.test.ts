import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import type { ModelCatalogue } from '../../shared/models';
import { startMainProcess, type MainProcess } from '../support/main-process';
import { FAKE_MODELS, schoolEndpoint, useProviderFakes } from '../support/provider-fakes';
import { writePolicyNamingBedrockFakeEu, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();
const FROM_APP = { url: 'app://atelier/' };

async function start(tier: 'dsgvo_local' | 'dsgvo_cloud' | 'non_dsgvo', env: Record<string, string | undefined> = useFakes().env): Promise<MainProcess> {
  const dataDir = await tempDir();
  await writeSettings(dataDir, { privacy: { tier }, endpoints: [schoolEndpoint(useFakes())] });
  // The school vouches for the Bedrock fake's address as an EU server (it stands in for AWS in Frankfurt).
  return startMainProcess(dataDir, ['app://atelier'], { ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(dataDir, useFakes().bedrock), ...env });
}

async function call<T>(main: MainProcess, channel: string, input?: unknown): Promise<T> {
  const result = (await main.dispatch(channel, input, FROM_APP)) as { ok: boolean; value?: T; error?: unknown };
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

describe('the model picker catalogue', () => {
  it('marks each model with its residency, and greys out what the tier forbids, with the reason', async () => {
    const main = await start('dsgvo_cloud');
    const catalogue = await call<ModelCatalogue>(main, 'models:get-catalogue');
    const group = (provider: string) => catalogue.groups.find((candidate) => candidate.provider === provider);

    expect(group('local')?.models.filter((model) => model.available).map((model) => [model.id, model.routeClass])).toEqual([
      ['local/llama3.2:3b', 'local'],
      ['local/qwen2.5:7b', 'local'],
    ]);
    const claude = group('bedrock')?.models.find((model) => model.id === FAKE_MODELS.bedrock);
    expect(claude).toMatchObject({ routeClass: 'eu', available: true, takesImages: true, unavailable: null });
    // A custom endpoint the tier rules out cannot be asked for its models: only the reason shows.
    expect(group('school')).toMatchObject({ models: [], problem: { code: 'policy_denied' } });
    for (const provider of ['anthropic', 'openai']) {
      const models = group(provider)?.models ?? [];
      expect(models.length).toBeGreaterThan(0);
      for (const model of models) expect(model).toMatchObject({ available: false, routeClass: 'non-eu', unavailable: { reason: 'privacy' } });
    }
    // Nothing was sent to the providers the tier rules out.
    expect(useFakes().anthropic.requests).toHaveLength(0);
    expect(useFakes().openai.requests).toHaveLength(0);
    expect(useFakes().school.requests).toHaveLength(0);
    // The picker does not ask them, so the egress record holds no refusals nobody asked for; it
    // holds the one listing that left: Bedrock's live model list, in the EU.
    const record = await call<{ entries: { provider: string; purpose: string; outcome: string; routeClass: string }[] }>(main, 'egress:list');
    expect(record.entries.map((entry) => [entry.provider, entry.purpose, entry.routeClass, entry.outcome])).toEqual([['bedrock', 'model-list', 'eu', 'completed']]);
    // Roles: the EU cloud where credentials are there.
    expect(catalogue.roles.find((role) => role.role === 'advanced')).toMatchObject({ model: 'bedrock/eu.anthropic.claude-sonnet-4-6', source: 'cloud', available: true });
  });

  it('greys out providers without credentials, and offers the recommended local models not yet downloaded', async () => {
    const { OPENAI_API_KEY: _key, ...withoutOpenAi } = useFakes().env;
    const main = await start('non_dsgvo', withoutOpenAi);
    const catalogue = await call<ModelCatalogue>(main, 'models:get-catalogue');
    const openai = catalogue.groups.find((group) => group.provider === 'openai');
    expect(openai?.configured).toBe(false);
    for (const model of openai?.models ?? []) expect(model.unavailable?.reason).toBe('credentials');
    const anthropic = catalogue.groups.find((group) => group.provider === 'anthropic');
    expect(anthropic?.models.every((model) => model.available && model.routeClass === 'non-eu')).toBe(true);
    const local = catalogue.groups.find((group) => group.provider === 'local');
    const notDownloaded = local?.models.filter((model) => model.unavailable?.reason === 'not-installed') ?? [];
    expect(notDownloaded.length).toBeGreaterThan(0);
    expect(notDownloaded.every((model) => !['local/llama3.2:3b', 'local/qwen2.5:7b'].includes(model.id))).toBe(true);
  });
});

describe('conversations over IPC', () => {
  it('sends, streams, saves, renames, searches, exports, deletes and restores', async () => {
    const main = await start('dsgvo_local');
    const parts: StreamPart[] = [];
    const stop = main.forwardEvents((event, payload) => {
      if (event === 'chat:stream-part') parts.push((payload as { part: StreamPart }).part);
    });
    const sent = await call<{ streamId: string; conversation: { id: number; title: string }; userMessage: { id: number }; answer: { id: number; status: string } }>(main, 'chat:send', {
      conversationId: null,
      model: FAKE_MODELS.local,
      parts: [{ type: 'text', text: 'Was fressen Igel im Winter?' }],
    });
    expect(sent.answer.status).toBe('streaming');
    expect(sent.conversation.title).toBe('Was fressen Igel im Winter?');
    await expect.poll(() => parts.at(-1)?.type).toBe('finish');
    stop();
    expect(parts[0]).toMatchObject({ type: 'provenance', routeClass: 'local' });

    const opened = await call<{ messages: { status: string; parts: unknown[] }[] }>(main, 'conversations:get', { id: sent.conversation.id });
    expect(opened.messages.map((message) => message.status)).toEqual(['complete', 'complete']);
    // One message, as the chat view reads an answer once its stream has ended.
    expect(await call(main, 'conversations:get-message', { id: sent.answer.id })).toMatchObject({
      conversation: { id: sent.conversation.id },
      message: { id: sent.answer.id, status: 'complete', provenance: { routeClass: 'local' }, parts: opened.messages[1]?.parts },
    });
    expect(await call(main, 'conversations:rename', { id: sent.conversation.id, title: 'Igel' })).toMatchObject({ title: 'Igel' });
    expect(await call(main, 'conversations:search', { query: 'igel winter' })).toMatchObject({ hits: [{ conversationId: sent.conversation.id, messageId: sent.userMessage.id }] });
    expect(await call(main, 'conversations:export', { id: sent.conversation.id, format: 'markdown' })).toMatchObject({ mediaType: 'text/markdown', content: expect.stringContaining('# Igel') as unknown });

    expect(await call(main, 'conversations:delete', { id: sent.conversation.id })).toEqual({ undoSeconds: 10 });
    expect(await call(main, 'conversations:list')).toEqual({ conversations: [] });
    await call(main, 'conversations:restore', { id: sent.conversation.id });
    expect(await call<{ conversations: unknown[] }>(main, 'conversations:list')).toMatchObject({ conversations: [{ title: 'Igel' }] });

    // A malformed request is refused by the contract, never half-saved.
    expect(await main.dispatch('chat:send', { conversationId: null, model: FAKE_MODELS.local, parts: [] }, FROM_APP)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await main.dispatch('chat:send', { conversationId: 999, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'x' }] }, FROM_APP)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('does not exist') as unknown } });
    expect(main.internalErrors).toEqual([]);
  });

  it('an answer that came on its second try, or from a fallback, keeps that in its saved provenance', async () => {
    const main = await start('non_dsgvo');
    await call(main, 'settings:update', { fallbacks: { [FAKE_MODELS.anthropic]: [FAKE_MODELS.openai] } });
    const unavailable = { kind: 'http-error' as const, status: 503, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };
    useFakes().openai.respondWith({ kind: 'answer', chunks: ['Ersatz'] });
    const parts: StreamPart[] = [];
    const stop = main.forwardEvents((event, payload) => {
      if (event === 'chat:stream-part') parts.push((payload as { part: StreamPart }).part);
    });
    // Second try: one 503, then the answer.
    useFakes().anthropic.respondWith(unavailable, { kind: 'answer', chunks: ['Zweiter', ' Versuch'] });
    const retried = await call<{ answer: { id: number } }>(main, 'chat:send', { conversationId: null, model: FAKE_MODELS.anthropic, parts: [{ type: 'text', text: 'hi' }] });
    await expect.poll(() => parts.at(-1)?.type, { timeout: 10_000 }).toBe('finish');
    expect(await call(main, 'conversations:get-message', { id: retried.answer.id })).toMatchObject({ message: { provenance: { provider: 'anthropic', attempt: 2 } } });
    // A fallback: Anthropic fails every try, OpenAI answers.
    parts.length = 0;
    useFakes().anthropic.respondWith(unavailable);
    const fallen = await call<{ answer: { id: number } }>(main, 'chat:send', { conversationId: null, model: FAKE_MODELS.anthropic, parts: [{ type: 'text', text: 'hi' }] });
    await expect.poll(() => parts.at(-1)?.type, { timeout: 15_000 }).toBe('finish');
    stop();
    expect(await call(main, 'conversations:get-message', { id: fallen.answer.id })).toMatchObject({
      message: { provenance: { provider: 'openai', fallbackFrom: FAKE_MODELS.anthropic, fallbackReason: 'provider_error' } },
    });
    expect(main.internalErrors).toEqual([]);
  }, 30_000);
});
