import { MAX_IMAGE_BYTES, textOfParts, type ChatMessage, type ChatRequest, type ContentPart, type MessagePart, type StreamPart } from '../../../shared/chat';
import type { Conversation, StoredMessage } from '../../../shared/conversations';
import { AtelierError } from '../../../shared/errors';
import type { ChatRouter } from '../chat/router';
import { takesImages } from '../models/capabilities';
import { AnswerWriter } from './answer-writer';
import type { Assistant, ConversationAssistant } from '../../../shared/assistants';
import { applyAssistant, type AssistantLookup } from '../assistants/apply-assistant';
import { runToolLoop, type ToolApproval, type ToolCallRequest } from '../tools/tool-loop';
import type { ToolServers } from '../tools/tool-servers';
import type { ConversationStore } from './conversation-store';

/** An answer ready to stream: saved as `streaming`, with the request that will produce it. */
export interface PreparedAnswer {
  conversation: Conversation;
  /** The user's message, saved before anything is sent; null when regenerating. */
  userMessage: StoredMessage | null;
  answer: StoredMessage;
  request: ChatRequest;
  /** Whether the model is offered the enabled tool servers' tools. */
  tools?: boolean;
}

export interface SendInput {
  /** null starts a new conversation. */
  conversationId: number | null;
  model: string;
  parts: ContentPart[];
  /** Edit and resend: this user message and everything after it are replaced. */
  replaceFrom?: number;
  /** A new conversation (conversationId null) with this assistant; a saved one keeps its own. */
  assistantId?: string;
  /** Offer the model the enabled tool servers' tools (each call asked for approval). */
  tools?: boolean;
}

/** What the conversation needs for tools: the servers, which to offer, and who decides each call. */
export interface ConversationTools {
  servers: ToolServers;
  serverNames: () => readonly string[];
  approve: (conversationId: number, call: ToolCallRequest, signal: AbortSignal) => Promise<ToolApproval>;
}

/**
 * Chatting in a saved conversation: the user's message is written before the request leaves,
 * the answer while it streams (in batches, see AnswerWriter), so a crash loses at most the last
 * moment of an answer.
 */
export class ConversationChat {
  constructor(
    private readonly store: ConversationStore,
    private readonly router: ChatRouter,
    private readonly options: { flushMs?: number; assistants?: AssistantLookup; tools?: ConversationTools } = {},
  ) {}

  /** Tools allowed "for this conversation", by conversation (for as long as the app runs). */
  private readonly allowedTools = new Map<number, Set<string>>();

  async send(input: SendInput): Promise<PreparedAnswer & { userMessage: StoredMessage }> {
    checkParts(input.parts, input.model);
    const existing = input.conversationId === null ? null : this.store.getConversation(input.conversationId);
    const assistantId = existing ? existing.assistant?.id : input.assistantId;
    // A malformed id, a missing assistant, or the school's "only our assistants" fail here, before anything is saved.
    const assistant = await this.check(input.model, assistantId, existing?.assistant ?? null);
    let conversation = existing ?? this.store.createConversation({ model: input.model, assistant });
    if (input.replaceFrom !== undefined) {
      const edited = this.store.getMessage(input.replaceFrom);
      if (edited.conversationId !== conversation.id || edited.role !== 'user') {
        throw new AtelierError('invalid_request', 'Only your own messages in this conversation can be edited.', 'Reload the conversation and try again.');
      }
      this.store.deleteMessagesFrom(conversation.id, edited.id);
    }
    const userMessage = this.store.addMessage({ conversationId: conversation.id, role: 'user', parts: input.parts });
    const answer = this.store.addMessage({ conversationId: conversation.id, role: 'assistant', parts: [], model: input.model, status: 'streaming' });
    conversation = this.store.getConversation(conversation.id);
    return { conversation, userMessage, answer, request: this.requestFor(conversation.id, answer.id, input.model), ...(input.tools && { tools: true }) };
  }

  /** A new answer to the last message: the answers after the last user message are replaced. */
  async regenerate(input: { conversationId: number; model: string }): Promise<PreparedAnswer> {
    const saved = this.store.getConversation(input.conversationId).assistant;
    await this.check(input.model, saved?.id, saved);
    const messages = this.store.messages(input.conversationId);
    const lastUser = messages.findLast((message) => message.role === 'user');
    if (!lastUser) throw new AtelierError('invalid_request', 'There is no message to answer again.', 'Write a message first.');
    checkParts(lastUser.parts, input.model);
    const firstAnswer = messages.find((message) => message.id > lastUser.id);
    if (firstAnswer) this.store.deleteMessagesFrom(input.conversationId, firstAnswer.id);
    const answer = this.store.addMessage({ conversationId: input.conversationId, role: 'assistant', parts: [], model: input.model, status: 'streaming' });
    const conversation = this.store.getConversation(input.conversationId);
    return { conversation, userMessage: null, answer, request: this.requestFor(conversation.id, answer.id, input.model) };
  }

  /** The model id and the assistant as the router will take them; the assistant found, if any. */
  private async check(model: string, assistantId: string | undefined, saved: ConversationAssistant | null = null): Promise<Assistant | null> {
    const { policy } = await this.router.resolve(model);
    applyAssistant({ model, messages: [{ role: 'user', content: '…' }], ...(assistantId !== undefined && { assistant: assistantId }) }, policy, this.options.assistants, saved);
    if (assistantId === undefined) return null;
    return policy.schoolAssistants?.find((assistant) => assistant.id === assistantId) ?? this.options.assistants?.(assistantId) ?? null;
  }

  /**
   * Streams the answer through the router and saves it as it comes. Never throws; the stream
   * ends as the router's does, and the saved answer ends `complete`, `failed` or `cancelled`
   * (also when the reader stops early).
   */
  async *stream(prepared: PreparedAnswer, signal: AbortSignal): AsyncGenerator<StreamPart> {
    const writer = new AnswerWriter(this.store, prepared.answer.id, this.options.flushMs);
    try {
      const context = { savedAssistant: prepared.conversation.assistant };
      const tools = prepared.tools ? this.options.tools : undefined;
      const conversationId = prepared.conversation.id;
      let allowed = this.allowedTools.get(conversationId);
      if (!allowed) this.allowedTools.set(conversationId, (allowed = new Set()));
      const parts = tools
        ? runToolLoop(prepared.request, { router: this.router, servers: tools.servers, serverNames: tools.serverNames(), approve: (call) => tools.approve(conversationId, call, signal), allowed, signal, context })
        : this.router.stream(prepared.request, signal, context);
      for await (const part of parts) {
        writer.apply(part);
        yield part;
      }
    } finally {
      writer.close();
    }
  }

  /** The conversation up to the answer, as the model should see it. */
  private requestFor(conversationId: number, answerId: number, model: string): ChatRequest {
    const conversation = this.store.getConversation(conversationId);
    const history = this.store.messages(conversationId).filter((message) => message.id < answerId);
    return { model, messages: toChatMessages(history), ...(conversation.assistant && { assistant: conversation.assistant.id }) };
  }
}

/**
 * Saved messages as a request's turns: answers that produced no text are left out (a refused or
 * failed one), and turns of the same role in a row are joined, since Anthropic and Bedrock want
 * user and assistant to alternate.
 */
export function toChatMessages(messages: readonly StoredMessage[]): ChatMessage[] {
  const turns: { role: 'user' | 'assistant'; parts: MessagePart[]; tokens: number | undefined }[] = [];
  for (const message of messages) {
    // An answer that called tools: the calls, then their results (as the user's turn, as every
    // provider wants them), then the answer's text.
    const calls = (message.toolCalls ?? []).filter((call) => call.result !== null);
    if (message.role === 'assistant' && calls.length > 0) {
      turns.push({ role: 'assistant', parts: calls.map((call) => ({ type: 'tool-call', id: call.id, name: call.name, args: call.args })), tokens: undefined });
      turns.push({ role: 'user', parts: calls.map((call) => ({ type: 'tool-result', id: call.id, name: call.name, text: call.result ?? '', isError: call.isError })), tokens: undefined });
    }
    const parts = message.parts.filter((part) => part.type === 'image' || part.text.trim() !== '');
    if (parts.length === 0) continue;
    const last = turns.at(-1);
    // The counts saved with the messages go with the turn (joined turns: their sum, a little high).
    if (last?.role === message.role) {
      last.parts.push(...parts);
      last.tokens = last.tokens !== undefined && message.tokens !== undefined ? last.tokens + message.tokens : undefined;
    } else turns.push({ role: message.role, parts: [...parts], tokens: message.tokens });
  }
  // A conversation must start with the user; drop anything before the first user turn.
  const start = turns.findIndex((turn) => turn.role === 'user');
  return turns.slice(start === -1 ? turns.length : start).map((turn) => ({
    role: turn.role,
    content: turn.parts.every((part) => part.type === 'text') ? textOfParts(turn.parts) : turn.parts,
    ...(turn.tokens !== undefined && { tokens: turn.tokens }),
  }));
}

function checkParts(parts: readonly ContentPart[], model: string): void {
  const hasText = parts.some((part) => part.type === 'text' && part.text.trim() !== '');
  const images = parts.filter((part) => part.type === 'image');
  if (!hasText && images.length === 0) {
    throw new AtelierError('invalid_request', 'There is no message to send.', 'Type a message or attach an image.');
  }
  if (images.length > 0 && takesImages(model) === false) {
    throw new AtelierError('invalid_request', `${model} does not take images.`, 'Choose a model marked as taking images, or remove the image.');
  }
  for (const image of images) {
    if (image.type === 'image' && (image.data.length * 3) / 4 > MAX_IMAGE_BYTES) {
      throw new AtelierError('invalid_request', 'That image is larger than 10 MB.', 'Make it smaller (a screenshot or a photo resized to about 2000 pixels is plenty).');
    }
  }
}
