import type { DatabaseSync } from 'node:sqlite';
import type { Assistant, AssistantFields } from '../../../shared/assistants';
import { AtelierError } from '../../../shared/errors';
import { Statements } from '../store/statements';

const COLUMNS = 'id, name, description, system_prompt, model, temperature, opening_message';

interface AssistantRow {
  id: string;
  name: string;
  description: string;
  system_prompt: string;
  model: string | null;
  temperature: number | null;
  opening_message: string | null;
}

/** The assistants the user made, in the app's SQLite database (shared by the app and the CLI). */
export class AssistantStore {
  private readonly sql: Statements;

  constructor(db: DatabaseSync) {
    this.sql = new Statements(db);
  }

  list(): Assistant[] {
    const rows = this.sql.get(`SELECT ${COLUMNS} FROM assistants ORDER BY name COLLATE NOCASE, id`).all() as unknown as AssistantRow[];
    return rows.map(toAssistant);
  }

  get(id: string): Assistant | null {
    const row = this.sql.get(`SELECT ${COLUMNS} FROM assistants WHERE id = ?`).get(id) as AssistantRow | undefined;
    return row ? toAssistant(row) : null;
  }

  /**
   * Adds an assistant under an id made from its name (`Mathe-Tutor` → `mathe-tutor`, then
   * `mathe-tutor-2`…), never one of `taken` (the built-in and the school's ids). One transaction,
   * so two processes adding the same name at once get two ids.
   */
  add(fields: AssistantFields, taken: ReadonlySet<string>): Assistant {
    return this.sql.transaction(() => {
      const base = slugOf(fields.name);
      let id = base;
      for (let n = 2; taken.has(id) || this.get(id) !== null; n++) id = `${base.slice(0, 58)}-${n}`;
      const now = new Date().toISOString();
      const row = this.sql
        .get(`INSERT INTO assistants (${COLUMNS}, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`)
        .get(id, fields.name, fields.description, fields.systemPrompt, fields.model, fields.temperature, fields.openingMessage, now, now) as unknown as AssistantRow;
      return toAssistant(row);
    });
  }

  update(id: string, fields: AssistantFields): Assistant {
    const row = this.sql
      .get(`UPDATE assistants SET name = ?, description = ?, system_prompt = ?, model = ?, temperature = ?, opening_message = ?, updated_at = ? WHERE id = ? RETURNING ${COLUMNS}`)
      .get(fields.name, fields.description, fields.systemPrompt, fields.model, fields.temperature, fields.openingMessage, new Date().toISOString(), id) as AssistantRow | undefined;
    if (!row) throw notFound(id);
    return toAssistant(row);
  }

  remove(id: string): void {
    if (this.sql.get('DELETE FROM assistants WHERE id = ?').run(id).changes === 0) throw notFound(id);
  }
}

/** An id from a name: letters folded to ASCII, lower case, dashes between words. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return slug || 'assistant';
}

export function notFound(id: string): AtelierError {
  return new AtelierError('invalid_request', `There is no assistant “${id}”.`, 'See the assistants there are with: atelier assistants list');
}

function toAssistant(row: AssistantRow): Assistant {
  return {
    id: row.id,
    source: 'user',
    name: row.name,
    description: row.description,
    systemPrompt: row.system_prompt,
    model: row.model,
    temperature: row.temperature,
    openingMessage: row.opening_message,
    editable: true,
  };
}
