import { ConversationStore } from '../../electron/core/conversations/conversation-store';
import { openDatabase } from '../../electron/core/store/database';
import type { MessageStatus } from '../../shared/choices';
import type { Provenance } from '../../shared/privacy';

export interface SeedMessage {
  role: 'user' | 'assistant';
  text: string;
  /** `streaming`: an answer that was arriving when the app was killed. */
  status?: MessageStatus;
}

const LOCAL_PROVENANCE: Provenance = {
  tier: 'dsgvo_local',
  routeClass: 'local',
  provider: 'local',
  region: null,
  host: '127.0.0.1',
  modelId: 'llama3.2:3b',
};

/**
 * Writes conversations into a data folder's database through the real store, as earlier
 * sessions of the app would have left them; the database is closed again before the app opens it.
 */
export function seedConversations(dataDir: string, conversations: { title: string; messages: SeedMessage[] }[]): number[] {
  const db = openDatabase(dataDir);
  try {
    const store = new ConversationStore(db);
    return conversations.map(({ title, messages }) => {
      const conversation = store.createConversation({ title, model: 'local/llama3.2:3b' });
      for (const message of messages) {
        const saved = store.addMessage({ conversationId: conversation.id, role: message.role, parts: [{ type: 'text', text: message.text }], model: 'local/llama3.2:3b', ...(message.status && { status: message.status }) });
        if (message.role === 'assistant') {
          store.updateAnswer(saved.id, { provenance: LOCAL_PROVENANCE, usage: { inputTokens: 12, outputTokens: 48 }, timings: { startedAt: new Date().toISOString(), firstTokenMs: 180, durationMs: 1400 } });
        }
      }
      return conversation.id;
    });
  } finally {
    db.close();
  }
}

/** A long conversation: `count` messages taking turns, the answers Markdown with code, lists and tables. */
export function longConversation(count: number): SeedMessage[] {
  return Array.from({ length: count }, (_, index): SeedMessage =>
    index % 2 === 0
      ? { role: 'user', text: `Frage ${index / 2 + 1}: Wie sortiere ich eine Liste in Python, Variante ${index}?` }
      : {
          role: 'assistant',
          text: [
            `Antwort ${(index + 1) / 2}: Mit **sorted()** bekommst du eine neue Liste, mit \`list.sort()\` sortierst du an Ort und Stelle.`,
            '',
            '```python',
            `zahlen = [${index}, 3, 1, 2]`,
            'print(sorted(zahlen, reverse=True))',
            '```',
            '',
            '- stabil: gleiche Schlüssel behalten ihre Reihenfolge',
            '- `key=` nimmt eine Funktion',
          ].join('\n'),
        },
  );
}
