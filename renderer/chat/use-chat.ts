import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { textOfParts, type ContentPart, type StreamPart } from '../../shared/chat';
import type { Conversation, StoredMessage } from '../../shared/conversations';
import type { ErrorPayload } from '../../shared/errors';
import { call, IpcCallError } from '../ipc/client';

export interface ChatState {
  conversation: Conversation | null;
  messages: StoredMessage[];
  /** The answer being streamed, if any. */
  streaming: { streamId: string; answerId: number } | null;
  /** A send that main refused (bad input, a deleted conversation): shown above the composer. */
  sendError: ErrorPayload | null;
}

const EMPTY: ChatState = { conversation: null, messages: [], streaming: null, sendError: null };

/**
 * The open conversation: its messages from the database, sending, regenerating and editing, and
 * the answer as it streams. Text deltas are gathered and applied once per animation frame, so a
 * fast model causes one render per frame, never one per token.
 */
export function useChat(onConversationsChanged: () => void) {
  const [state, setState] = useState<ChatState>(EMPTY);
  // How many answers have ended since the view opened: what depends on an answer's end (the
  // budget banner) follows this, since a fast answer can start and end within one render.
  const [answersEnded, setAnswersEnded] = useState(0);
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  }, [state]);
  const pendingText = useRef('');
  const frame = useRef<number | null>(null);
  // Parts can arrive before chat:send has answered with the stream's id: kept until then.
  const early = useRef(new Map<string, StreamPart[]>());
  const awaitingStart = useRef(0);
  const changed = useRef(onConversationsChanged);
  useEffect(() => {
    changed.current = onConversationsChanged;
  }, [onConversationsChanged]);

  const open = useCallback(async (id: number | null) => {
    if (id === null) {
      setState(EMPTY);
      return;
    }
    const { conversation, messages } = await call('conversations:get', { id });
    setState((current) => ({ ...EMPTY, conversation, messages, streaming: current.conversation?.id === id ? current.streaming : null }));
  }, []);

  const reload = useCallback(async (id: number) => {
    const { conversation, messages } = await call('conversations:get', { id });
    setState((current) => (current.conversation?.id === id ? { ...current, conversation, messages } : current));
  }, []);

  /** Replaces one message with what the database holds; a long conversation is not read again. */
  const reloadMessage = useCallback(async (id: number) => {
    const { conversation, message } = await call('conversations:get-message', { id });
    setState((current) =>
      current.conversation?.id === conversation.id ? { ...current, conversation, messages: current.messages.map((candidate) => (candidate.id === id ? message : candidate)) } : current,
    );
  }, []);

  const flushText = useCallback(() => {
    frame.current = null;
    const text = pendingText.current;
    if (text === '') return;
    pendingText.current = '';
    setState((current) => {
      if (!current.streaming) return current;
      const answerId = current.streaming.answerId;
      return {
        ...current,
        messages: current.messages.map((message) => (message.id === answerId ? { ...message, parts: [{ type: 'text', text: textOfMessage(message) + text }] } : message)),
      };
    });
  }, []);

  const applyPart = useCallback(
    (part: StreamPart) => {
      const current = stateRef.current;
      if (!current.streaming) return;
      const { answerId } = current.streaming;
      if (part.type === 'text-delta') {
        pendingText.current += part.text;
        frame.current ??= requestAnimationFrame(flushText);
        return;
      }
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      flushText();
      if (part.type === 'provenance') {
        const { type: _type, ...provenance } = part;
        setState((state) => ({ ...state, messages: state.messages.map((message) => (message.id === answerId ? { ...message, provenance } : message)) }));
      } else if (part.type === 'notice') {
        setState((state) => ({ ...state, messages: state.messages.map((message) => (message.id === answerId ? { ...message, notices: [...message.notices, part.message] } : message)) }));
      } else if (part.type === 'tool-call') {
        const call = { id: part.id, name: part.name, args: part.args, result: null, isError: false };
        setState((state) => ({ ...state, messages: state.messages.map((message) => (message.id === answerId ? { ...message, toolCalls: [...(message.toolCalls ?? []), call] } : message)) }));
      } else if (part.type === 'tool-result') {
        const done = (message: StoredMessage) => ({ ...message, toolCalls: (message.toolCalls ?? []).map((call) => (call.id === part.id ? { ...call, result: part.text, isError: part.isError } : call)) });
        setState((state) => ({ ...state, messages: state.messages.map((message) => (message.id === answerId ? done(message) : message)) }));
      } else {
        // The end: what the database holds (status, usage, timings, error) is the truth.
        setState((state) => ({ ...state, streaming: null }));
        void reloadMessage(answerId)
          .catch(() => (current.conversation ? reload(current.conversation.id) : undefined))
          .finally(() => {
            changed.current();
            setAnswersEnded((count) => count + 1);
          });
      }
    },
    [flushText, reload, reloadMessage],
  );

  useEffect(
    () =>
      window.atelier.on('chat:stream-part', ({ streamId, part }) => {
        if (stateRef.current.streaming?.streamId === streamId) {
          applyPart(part);
          return;
        }
        if (awaitingStart.current === 0) return; // a stream this view no longer follows
        const parts = early.current.get(streamId) ?? [];
        parts.push(part);
        early.current.set(streamId, parts);
      }),
    [applyPart],
  );

  const startStreaming = useCallback(
    (streamId: string, answerId: number) => {
      setState((current) => ({ ...current, streaming: { streamId, answerId } }));
      stateRef.current = { ...stateRef.current, streaming: { streamId, answerId } };
      const waiting = early.current.get(streamId) ?? [];
      early.current.delete(streamId);
      for (const part of waiting) applyPart(part);
    },
    [applyPart],
  );

  const fail = useCallback((error: unknown) => {
    const payload: ErrorPayload = error instanceof IpcCallError ? { code: error.code, message: error.message, ...(error.hint && { hint: error.hint }) } : { code: 'internal_error', message: String(error) };
    setState((current) => ({ ...current, sendError: payload }));
  }, []);

  /**
   * Asks main for a new answer (`chat:send` or `chat:regenerate`), shows the messages it returns
   * after those kept, and follows the stream. Parts that arrive before main has answered wait.
   */
  const startAnswer = useCallback(
    async (
      ask: () => Promise<{ streamId: string; conversation: Conversation; answer: StoredMessage; userMessage?: StoredMessage; before?: StoredMessage[] }>,
      kept: StoredMessage[],
    ): Promise<boolean> => {
      awaitingStart.current++;
      try {
        const result = await ask();
        const added = [...(result.before ?? []), ...(result.userMessage ? [result.userMessage, result.answer] : [result.answer])];
        const next: ChatState = { conversation: result.conversation, messages: [...kept, ...added], streaming: null, sendError: null };
        stateRef.current = next;
        setState(next);
        startStreaming(result.streamId, result.answer.id);
        changed.current();
        return true;
      } catch (error) {
        fail(error);
        return false;
      } finally {
        awaitingStart.current--;
        if (awaitingStart.current === 0) early.current.clear();
      }
    },
    [fail, startStreaming],
  );

  /** Sends a message; `assistantId` starts a new conversation with that assistant. */
  const send = useCallback(
    async (model: string, parts: ContentPart[], replaceFrom?: number, assistantId?: string, tools = false): Promise<boolean> => {
      const current = stateRef.current;
      if (current.streaming) return false;
      const kept = replaceFrom === undefined ? current.messages : current.messages.filter((message) => message.id < replaceFrom);
      const conversationId = current.conversation?.id ?? null;
      const withAssistant = conversationId === null && assistantId !== undefined;
      return startAnswer(async () => {
        const result = await call('chat:send', { conversationId, model, parts, ...(replaceFrom !== undefined && { replaceFrom }), ...(withAssistant && { assistantId }), ...(tools && { tools: true }) });
        if (!withAssistant) return result;
        // The assistant's opening message was saved as the conversation's first: shown above the question.
        const saved = await call('conversations:get', { id: result.conversation.id }).catch(() => null);
        return { ...result, before: saved?.messages.filter((message) => message.id < result.userMessage.id) ?? [] };
      }, kept);
    },
    [startAnswer],
  );

  const regenerate = useCallback(
    async (model: string) => {
      const current = stateRef.current;
      const conversation = current.conversation;
      if (current.streaming || !conversation) return;
      const lastUser = current.messages.findLast((message) => message.role === 'user');
      const kept = current.messages.filter((message) => lastUser === undefined || message.id <= lastUser.id);
      await startAnswer(() => call('chat:regenerate', { conversationId: conversation.id, model }), kept);
    },
    [startAnswer],
  );

  const stop = useCallback(() => {
    const streaming = stateRef.current.streaming;
    if (streaming) void call('chat:abort', { streamId: streaming.streamId });
  }, []);

  const dismissError = useCallback(() => setState((current) => ({ ...current, sendError: null })), []);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  return { state, answersEnded, open, send, regenerate, stop, dismissError, reload };
}

export function textOfMessage(message: StoredMessage): string {
  return textOfParts(message.parts);
}
