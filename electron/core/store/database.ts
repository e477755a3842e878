import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

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
];

/**
 * The app's database: one SQLite file in the data folder, through Node's built-in node:sqlite
 * (Electron 45 ships Node 24, which has it), so there is no native module to build per platform.
 */
export function openDatabase(dataDir: string): DatabaseSync {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(path.join(dataDir, DATABASE_FILE_NAME));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  for (let index = version; index < MIGRATIONS.length; index++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[index] ?? '');
      db.exec(`PRAGMA user_version = ${index + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return db;
}
