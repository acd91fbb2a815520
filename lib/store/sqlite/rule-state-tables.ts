import type Database from 'better-sqlite3';
import type { DetectionStore, RuleStateWrite } from '../../detection/detection-store';
import type { RuleId } from '../../detection/rule';

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
        'SELECT id AS rowId, rule, key_id AS keyId, last_seq AS lastSeq, touched_at AS touchedAt, entries FROM detection_windows ORDER BY last_seq',
      ),
      body: db.prepare('SELECT body FROM detection_windows WHERE id = ?').pluck(),
      // A row the engine reuses for another key of the rule (one it forgot) takes the new key too.
      saveWindow: db.prepare(
        `INSERT INTO detection_windows (id, rule, key_id, last_seq, touched_at, entries, body)
         VALUES (@rowId, @rule, @keyId, @lastSeq, @touchedAt, @entries, @body)
         ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, last_seq = excluded.last_seq, touched_at = excluded.touched_at,
           entries = excluded.entries, body = excluded.body`,
      ),
      removeWindow: db.prepare('DELETE FROM detection_windows WHERE id = ?'),
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

  /**
   * Inside the step's transaction: forgotten rows go first, so a key's row is
   * never removed after its new form is written. One prepared statement per
   * row: cheaper than handing SQLite a JSON array to loop over (json_each
   * parses the array and writes each body out again).
   */
  write(states: readonly RuleStateWrite[]): void {
    for (const { rule, document, written, removed } of states) {
      for (const rowId of removed) this.statements.removeWindow.run(rowId);
      for (const window of written) this.statements.saveWindow.run({ rule, ...window });
      if (document !== undefined) this.statements.saveDocument.run({ rule, state: document });
    }
  }
}
