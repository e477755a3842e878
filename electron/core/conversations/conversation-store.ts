import type { DatabaseSync } from 'node:sqlite';
import { Statements } from '../store/statements';
import { textOfParts, type ContentPart, type Usage } from '../../../shared/chat';
import type { MessageStatus } from '../../../shared/choices';
import {
  SNIPPET_MARK_END,
  SNIPPET_MARK_START,
  type Conversation,
  type SearchHit,
  type StoredMessage,
  type Timings,
} from '../../../shared/conversations';
import { AtelierError, type ErrorPayload } from '../../../shared/errors';
import type { Provenance } from '../../../shared/privacy';
import type { Assistant, ConversationAssistant } from '../../../shared/assistants';
import type { ToolActivity } from '../../../shared/tools';
import { countMessageTokens } from '../context/fit-history';

export const NEW_CONVERSATION_TITLE = '';
const TITLE_LENGTH = 60;
/** The columns each row type is read with (see MessageRow, ConversationRow). */
const MESSAGE_COLUMNS = 'id, conversation_id, role, content, model, status, provenance, usage, timings, error, notices, tokens, tool_calls, created_at';
const CONVERSATION_COLUMNS = 'id, title, model, assistant, created_at, updated_at';

/** What an answer's row gets as it streams and when it ends; fields left out stay as they are. */
export interface AnswerUpdate {
  text?: string;
  status?: MessageStatus;
  provenance?: Provenance;
  usage?: Usage;
  timings?: Timings;
  error?: ErrorPayload | null;
  notices?: string[];
  toolCalls?: ToolActivity[];
}

interface MessageRow {
  id: number;
  conversation_id: number;
  role: 'user' | 'assistant';
  content: string;
  model: string | null;
  status: MessageStatus;
  provenance: string | null;
  usage: string | null;
  timings: string | null;
  error: string | null;
  notices: string;
  tokens: number | null;
  tool_calls: string | null;
  created_at: string;
}

interface ConversationRow {
  id: number;
  title: string;
  model: string | null;
  assistant: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Conversations and their messages in the app's SQLite database. Every change is one statement
 * or one transaction, so a killed process leaves the file consistent; a message that was still
 * streaming is marked `interrupted` by `markInterrupted` at the next start.
 */
export class ConversationStore {
  private readonly sql: Statements;

  constructor(db: DatabaseSync) {
    this.sql = new Statements(db);
  }

  /**
   * A new conversation; with an assistant, it remembers which (a copy of its name and
   * instructions, kept if the assistant goes) and opens with the assistant's opening message.
   */
  createConversation(options: { title?: string; model?: string | null; assistant?: Assistant | null } = {}): Conversation {
    const now = new Date().toISOString();
    const assistant: ConversationAssistant | null = options.assistant
      ? { id: options.assistant.id, source: options.assistant.source, name: options.assistant.name, systemPrompt: options.assistant.systemPrompt, temperature: options.assistant.temperature }
      : null;
    return this.sql.transaction(() => {
      const row = this.sql.get(
        `INSERT INTO conversations (title, model, assistant, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING ${CONVERSATION_COLUMNS}`,
      ).get(cleanTitle(options.title ?? NEW_CONVERSATION_TITLE), options.model ?? null, assistant && JSON.stringify(assistant), now, now) as unknown as ConversationRow;
      const opening = options.assistant?.openingMessage?.trim();
      if (opening) this.addMessage({ conversationId: row.id, role: 'assistant', parts: [{ type: 'text', text: opening }] });
      return toConversation(row);
    });
  }

  /** Newest first; deleted ones (waiting for their undo to run out) are left out. */
  listConversations(): Conversation[] {
    const rows = this.sql.get(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE deleted_at IS NULL ORDER BY updated_at DESC, id DESC`,
    ).all() as unknown as ConversationRow[];
    return rows.map(toConversation);
  }

  getConversation(id: number): Conversation {
    const row = this.sql.get(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = ? AND deleted_at IS NULL`).get(id) as
      | ConversationRow
      | undefined;
    if (!row) throw notFound();
    return toConversation(row);
  }

  renameConversation(id: number, title: string): Conversation {
    const cleaned = cleanTitle(title);
    if (cleaned === '') throw new AtelierError('invalid_request', 'A conversation needs a name.', 'Type a name, or press Esc to keep the old one.');
    const changed = this.sql.get('UPDATE conversations SET title = ? WHERE id = ? AND deleted_at IS NULL').run(cleaned, id);
    if (changed.changes === 0) throw notFound();
    return this.getConversation(id);
  }

  /** Hides a conversation at once; `restoreConversation` brings it back until `purgeDeleted` runs. */
  deleteConversation(id: number): void {
    const changed = this.sql.get('UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(new Date().toISOString(), id);
    if (changed.changes === 0) throw notFound();
  }

  restoreConversation(id: number): Conversation {
    const changed = this.sql.get('UPDATE conversations SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL').run(id);
    if (changed.changes === 0) {
      throw new AtelierError('invalid_request', 'This conversation can no longer be restored.', 'Deleted conversations can be restored for a short while only.');
    }
    return this.getConversation(id);
  }

  /** Removes for good what was deleted before `before` (an ISO time), messages and search index too. */
  purgeDeleted(before: string = new Date().toISOString()): number {
    return Number(this.sql.get('DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?').run(before).changes);
  }

  messages(conversationId: number): StoredMessage[] {
    this.getConversation(conversationId);
    const rows = this.sql.get(
      `SELECT ${MESSAGE_COLUMNS}
       FROM messages WHERE conversation_id = ? ORDER BY id`,
    ).all(conversationId) as unknown as MessageRow[];
    return rows.map(toMessage);
  }

  getMessage(id: number): StoredMessage {
    const row = this.sql.get(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`,
    ).get(id) as MessageRow | undefined;
    if (!row) throw new AtelierError('invalid_request', 'That message does not exist (any more).', 'Reload the conversation.');
    return toMessage(row);
  }

  /**
   * Adds a message and touches its conversation: the first user message names an unnamed
   * conversation, and the model becomes the conversation's model.
   */
  addMessage(message: { conversationId: number; role: 'user' | 'assistant'; parts: ContentPart[]; model?: string | null; status?: MessageStatus }): StoredMessage {
    return this.sql.transaction(() => {
      const conversation = this.getConversation(message.conversationId);
      const now = new Date().toISOString();
      const text = textOfParts(message.parts);
      // The token count is made once, when the message is written (an answer's when it ends).
      const tokens = message.status === 'streaming' || message.parts.length === 0 ? null : countMessageTokens({ content: message.parts });
      const row = this.sql.get(
        `INSERT INTO messages (conversation_id, role, content, text, model, status, tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING ${MESSAGE_COLUMNS}`,
      ).get(message.conversationId, message.role, JSON.stringify(message.parts), text, message.model ?? null, message.status ?? 'complete', tokens, now) as unknown as MessageRow;
      const title = conversation.title === NEW_CONVERSATION_TITLE && message.role === 'user' ? cleanTitle(text) || conversation.title : conversation.title;
      this.sql.get('UPDATE conversations SET updated_at = ?, title = ?, model = COALESCE(?, model) WHERE id = ?').run(now, title, message.model ?? null, message.conversationId);
      return toMessage(row);
    });
  }

  /** Writes an answer's progress: its text so far, and at the end its status, usage and the rest. */
  updateAnswer(id: number, update: AnswerUpdate): void {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    const set = (column: string, value: string | number | null) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (update.text !== undefined) {
      set('content', JSON.stringify(update.text === '' ? [] : [{ type: 'text', text: update.text }]));
      set('text', update.text);
      // Counted once the answer has ended; while it streams the count would only be redone.
      if (update.status !== undefined && update.status !== 'streaming') set('tokens', update.text === '' ? null : countMessageTokens({ content: update.text }));
    }
    if (update.status !== undefined) set('status', update.status);
    if (update.provenance !== undefined) set('provenance', JSON.stringify(update.provenance));
    if (update.usage !== undefined) set('usage', JSON.stringify(update.usage));
    if (update.timings !== undefined) set('timings', JSON.stringify(update.timings));
    if (update.error !== undefined) set('error', update.error === null ? null : JSON.stringify(update.error));
    if (update.notices !== undefined) set('notices', JSON.stringify(update.notices));
    if (update.toolCalls !== undefined) set('tool_calls', JSON.stringify(update.toolCalls));
    if (sets.length === 0) return;
    this.sql.get(`UPDATE messages SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  /** Deletes a message and everything after it in its conversation (edit and resend, regenerate). */
  deleteMessagesFrom(conversationId: number, messageId: number): number {
    return Number(this.sql.get('DELETE FROM messages WHERE conversation_id = ? AND id >= ?').run(conversationId, messageId).changes);
  }

  /** At start: answers left `streaming` by a crash or a killed process are `interrupted`. */
  markInterrupted(): number {
    return Number(this.sql.get("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'").run().changes);
  }

  /**
   * Full-text search over every message: each word matches as a prefix, accents folded, best
   * matches first. Words only; the query's punctuation never reaches FTS5's own syntax.
   */
  search(query: string, limit = 50): SearchHit[] {
    const words = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
    if (words.length === 0) return [];
    const match = words.map((word) => `"${word}"*`).join(' ');
    const rows = this.sql.get(
      `SELECT m.id AS messageId, m.conversation_id AS conversationId, c.title AS conversationTitle, m.role AS role, m.created_at AS createdAt,
              snippet(messages_fts, 0, ?, ?, '…', 12) AS snippet
       FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH ? AND c.deleted_at IS NULL
       ORDER BY rank LIMIT ?`,
    ).all(SNIPPET_MARK_START, SNIPPET_MARK_END, match, limit) as unknown as SearchHit[];
    return rows.map((row) => ({ ...row }));
  }
}

function cleanTitle(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1).trimEnd()}…` : line;
}

function notFound(): AtelierError {
  return new AtelierError('invalid_request', 'That conversation does not exist (any more).', 'Pick another one from the list, or start a new one.');
}

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    assistant: row.assistant === null ? null : (JSON.parse(row.assistant) as ConversationAssistant),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMessage(row: MessageRow): StoredMessage {
  const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    parts: JSON.parse(row.content) as ContentPart[],
    model: row.model,
    status: row.status,
    provenance: json<Provenance>(row.provenance),
    usage: json<Usage>(row.usage),
    timings: json<Timings>(row.timings),
    error: json<ErrorPayload>(row.error),
    notices: JSON.parse(row.notices) as string[],
    ...(row.tokens !== null && { tokens: row.tokens }),
    ...(row.tool_calls !== null && { toolCalls: JSON.parse(row.tool_calls) as ToolActivity[] }),
    createdAt: row.created_at,
  };
}
