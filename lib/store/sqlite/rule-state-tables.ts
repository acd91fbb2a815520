import type Database from 'better-sqlite3';
import type { DetectionStore, RuleStateWrite } from '../../detection/detection-store';
import type { RuleId } from '../../detection/rule';
import type { StoredWindow } from '../../detection/stored-window';

/**
 * The engine's rule state (migration 008): one small document per rule in
 * `detection_states`, and one row per rule and key in `detection_windows`.
 * Only the engine writes them, inside its step's transaction; row ids are its
 * own (rule-state-cache.ts), so the table needs no index beside its rowid.
 */
export class RuleStateTables {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      documents: db.prepare('SELECT rule, state FROM detection_states'),
      saveDocument: db.prepare('INSERT INTO detection_states (rule, state) VALUES (@rule, @state) ON CONFLICT (rule) DO UPDATE SET state = excluded.state'),
      standings: db.prepare(
        'SELECT id AS rowId, rule, key_id AS keyId, last_seq AS lastSeq, touched_at AS touchedAt, entries FROM detection_windows ORDER BY id',
      ),
      body: db.prepare('SELECT body FROM detection_windows WHERE id = ?').pluck(),
      // A step's rows of one rule in one statement each: SQLite loops over them, not a call per row.
      saveWindows: db.prepare(
        `INSERT INTO detection_windows (id, rule, key_id, last_seq, touched_at, entries, body)
         SELECT value ->> 0, @rule, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value -> 5 FROM json_each(@rows) WHERE true
         ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, touched_at = excluded.touched_at, entries = excluded.entries, body = excluded.body`,
      ),
      removeWindows: db.prepare('DELETE FROM detection_windows WHERE id IN (SELECT value FROM json_each(@rowIds))'),
    };
  }

  ruleDocuments(): ReturnType<DetectionStore['ruleDocuments']> {
    const rows = this.statements.documents.all() as Array<{ rule: RuleId; state: string }>;
    return Object.fromEntries(rows.map((row) => [row.rule, row.state]));
  }

  windowStandings(): ReturnType<DetectionStore['windowStandings']> {
    return this.statements.standings.all() as ReturnType<DetectionStore['windowStandings']>;
  }

  windowBody(rowId: number): string | undefined {
    return this.statements.body.get(rowId) as string | undefined;
  }

  /** Inside the step's transaction: forgotten rows go first, so a key's row is never removed after its new form is written. */
  write(states: readonly RuleStateWrite[]): void {
    for (const { rule, document, written, removed } of states) {
      if (removed.length > 0) this.statements.removeWindows.run({ rowIds: JSON.stringify(removed) });
      if (written.length > 0) this.statements.saveWindows.run({ rule, rows: rowsJson(written) });
      if (document !== undefined) this.statements.saveDocument.run({ rule, state: document });
    }
  }
}

/** The rows as one JSON array; each body is JSON already, so it goes in as it is, not quoted again. */
function rowsJson(windows: readonly StoredWindow[]): string {
  return `[${windows.map((w) => `[${w.rowId},${JSON.stringify(w.keyId)},${w.lastSeq},${w.touchedAt},${w.entries},${w.body}]`).join(',')}]`;
}
