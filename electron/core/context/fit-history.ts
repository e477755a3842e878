import type { ChatMessage, ChatRequest } from '../../../shared/chat';

/** Bytes per token at the least: an estimate that errs high for every language and for code. */
const BYTES_PER_TOKEN = 3;
/** What a provider adds per message (role markers). */
const TOKENS_PER_MESSAGE = 8;
/** What an image costs at most (Anthropic's cap; OpenAI's high detail tiles stay below it). */
export const TOKENS_PER_IMAGE = 1600;

const encoder = new TextEncoder();
/** Counts of texts seen lately: a long conversation's history is not counted again for every answer. */
const counted = new Map<string, number>();
const MAX_CACHED = 5000;

/** A high estimate of a text's tokens (a token per 3 bytes of UTF-8), cached. */
export function estimateTextTokens(text: string): number {
  const cached = counted.get(text);
  if (cached !== undefined) return cached;
  const tokens = Math.ceil(encoder.encode(text).length / BYTES_PER_TOKEN);
  if (counted.size >= MAX_CACHED) counted.delete(counted.keys().next().value as string);
  counted.set(text, tokens);
  return tokens;
}

/**
 * A high estimate of one message's tokens: its text, its images, the role markers. A saved
 * message carries the count made when it was written (`tokens`), which is used as it is.
 */
export function estimateMessageTokens(message: ChatMessage): number {
  if (message.tokens !== undefined) return message.tokens;
  return countMessageTokens(message);
}

/** Counts a message afresh (what is saved with it): its text, its images, the role markers. */
export function countMessageTokens(message: Pick<ChatMessage, 'content'>): number {
  if (typeof message.content === 'string') return TOKENS_PER_MESSAGE + estimateTextTokens(message.content);
  let tokens = TOKENS_PER_MESSAGE;
  for (const part of message.content) {
    tokens +=
      part.type === 'text' ? estimateTextTokens(part.text)
      : part.type === 'image' ? TOKENS_PER_IMAGE
      : part.type === 'tool-call' ? estimateTextTokens(`${part.name}${JSON.stringify(part.args)}`)
      : estimateTextTokens(part.text);
  }
  return tokens;
}

/** A high estimate of a whole request's input tokens. */
export function estimateRequestTokens(request: ChatRequest): number {
  const system = request.system ? TOKENS_PER_MESSAGE + estimateTextTokens(request.system) : 0;
  return request.messages.reduce((sum, message) => sum + estimateMessageTokens(message), system);
}

export interface FittedHistory {
  request: ChatRequest;
  /** Earlier messages left out, whole. */
  omittedMessages: number;
  /** The estimate of what is sent. */
  estimatedTokens: number;
}

/**
 * The history that fits `contextTokens` with `answerTokens` left for the answer: the system prompt
 * and the newest turns always go; older messages are left out whole (never cut in the middle),
 * images counted; the history then starts with a user message, as every provider wants. The
 * newest message always goes, even alone too long (the provider then says so).
 */
export function fitHistory(request: ChatRequest, contextTokens: number, answerTokens: number): FittedHistory {
  const system = request.system ? TOKENS_PER_MESSAGE + estimateTextTokens(request.system) : 0;
  const budget = contextTokens - answerTokens - system;
  const costs = request.messages.map(estimateMessageTokens);
  let used = 0;
  let first = request.messages.length;
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const cost = costs[index] ?? 0;
    if (first < request.messages.length && used + cost > budget) break;
    used += cost;
    first = index;
  }
  // A history that would start with the model's own answer starts at the next question instead.
  while (first < request.messages.length - 1 && request.messages[first]?.role !== 'user') {
    used -= costs[first] ?? 0;
    first++;
  }
  const messages = first === 0 ? request.messages : request.messages.slice(first);
  return { request: first === 0 ? request : { ...request, messages }, omittedMessages: first, estimatedTokens: system + used };
}
