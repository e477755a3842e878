import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createPrivateFile, preparePrivateDataDir } from './data-folder';

export const DATABASE_FILE_NAME = 'atelier.db';

/** Schema migrations, applied in order; each runs once, inside a transaction. */
const MIGRATIONS: string[] = [
  `CREATE TABLE egress (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     tier TEXT NOT NULL,
     route_class TEXT NOT NULL,
     provider TEXT NOT NULL,
     region TEXT,
     host TEXT NOT NULL,
     model_id TEXT NOT NULL,
     input_tokens INTEGER,
     output_tokens INTEGER,
     outcome TEXT NOT NULL,
     error_code TEXT
   );
   CREATE INDEX egress_at ON egress (at);`,
  // Model listing, connection tests and Ollama management are recorded too, marked as such.
  `ALTER TABLE egress ADD COLUMN purpose TEXT NOT NULL DEFAULT 'chat';`,
  // Conversations and their messages; message text is indexed for full-text search (FTS5,
  // accents folded so "muller" finds "Müller"). Content parts, provenance, usage, timings and
  // errors are JSON.
  `CREATE TABLE conversations (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     title TEXT NOT NULL,
     model TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     deleted_at TEXT
   );
   CREATE INDEX conversations_updated ON conversations (updated_at);
   CREATE TABLE messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
     role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
     content TEXT NOT NULL,
     text TEXT NOT NULL,
     model TEXT,
     status TEXT NOT NULL,
     provenance TEXT,
     usage TEXT,
     timings TEXT,
     error TEXT,
     notices TEXT NOT NULL DEFAULT '[]',
     created_at TEXT NOT NULL
   );
   CREATE INDEX messages_conversation ON messages (conversation_id, id);
   CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
   CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
   CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
     INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
   END;
   CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
     INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
   END;
   CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
     INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
     INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
   END;`,
  // What each request cost, in US dollars (null: unknown); and the budget's ledger: every cloud
  // request's worst case held while it runs (reserved_usd), then what it cost (cost_usd), with a
  // running total per day, so the budget check reads a month in at most 31 rows.
  `ALTER TABLE egress ADD COLUMN cost_usd REAL;
   CREATE TABLE spending (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     day TEXT NOT NULL,
     provider TEXT NOT NULL,
     model_id TEXT NOT NULL,
     reserved_usd REAL,
     cost_usd REAL,
     settled INTEGER NOT NULL DEFAULT 0,
     pid INTEGER NOT NULL
   );
   CREATE INDEX spending_open ON spending (settled, pid) WHERE settled = 0;
   CREATE TABLE spending_days (
     day TEXT PRIMARY KEY,
     cost_usd REAL NOT NULL
   ) WITHOUT ROWID;`,
  // How each route has fared lately, from real traffic and model listings: failures in a row,
  // a cool-down after repeated ones, the last error. Shared by the app and the CLI (atelier status).
  `CREATE TABLE route_health (
     provider TEXT NOT NULL,
     model_id TEXT NOT NULL,
     place TEXT NOT NULL,
     failures INTEGER NOT NULL DEFAULT 0,
     cooling_until TEXT,
     last_error_code TEXT,
     last_error_at TEXT,
     last_ok_at TEXT,
     PRIMARY KEY (provider, model_id, place)
   ) WITHOUT ROWID;`,
  // Assistants the user made (built-in ones ship with the code, the school's come from its policy
  // file); what a conversation was started with (a JSON copy, kept if the assistant goes); and each
  // message's token count, estimated once when it is written, for fitting the context window.
  `CREATE TABLE assistants (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     description TEXT NOT NULL DEFAULT '',
     system_prompt TEXT NOT NULL,
     model TEXT,
     temperature REAL,
     opening_message TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) WITHOUT ROWID;
   ALTER TABLE conversations ADD COLUMN assistant TEXT;
   ALTER TABLE messages ADD COLUMN tokens INTEGER;`,
  // The local OpenAI-compatible endpoint: which tool asked (its token's name), and the tokens'
  // names with a SHA-256 fingerprint of each (the tokens themselves are in the keychain).
  `ALTER TABLE egress ADD COLUMN client TEXT;
   CREATE TABLE serve_tokens (
     name TEXT PRIMARY KEY COLLATE NOCASE,
     fingerprint TEXT NOT NULL UNIQUE,
     masked TEXT NOT NULL,
     created_at TEXT NOT NULL,
     last_used_at TEXT
   ) WITHOUT ROWID;`,
  // The tools an answer called and what they answered (JSON), in order.
  `ALTER TABLE messages ADD COLUMN tool_calls TEXT;`,
];

/**
 * The app's database: one SQLite file in the data folder, through Node's built-in node:sqlite
 * (Electron 45 ships Node 24, which has it), so there is no native module to build per platform.
 */
export function openDatabase(dataDir: string): DatabaseSync {
  preparePrivateDataDir(dataDir);
  const file = path.join(dataDir, DATABASE_FILE_NAME);
  createPrivateFile(file);
  // The busy timeout first: every statement after it, switching to WAL included, waits for
  // another process (the app, a second command) instead of failing with "database is locked".
  const db = new DatabaseSync(file, { timeout: 5000 });
  // WAL with synchronous=NORMAL survives a crash or a killed process; only a power cut may lose the last moment.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  const userVersion = () => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (userVersion() < MIGRATIONS.length) {
    // Two processes opening a new database at once: the write lock is taken first and the
    // version read again under it, so each migration runs exactly once.
    db.exec('BEGIN IMMEDIATE');
    try {
      for (let index = userVersion(); index < MIGRATIONS.length; index++) {
        db.exec(MIGRATIONS[index] ?? '');
        db.exec(`PRAGMA user_version = ${index + 1}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      // SQLite has rolled back already where the disk is full; the error is the disk's, not this.
      if (db.isTransaction) db.exec('ROLLBACK');
      db.close();
      throw error;
    }
  }
  return db;
}
