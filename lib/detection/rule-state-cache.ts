import type { DetectionStore, RuleStateWrite } from './detection-store';
import type { KeyWindow } from './key-window';
import { standingOf, type KeyedWindowsState } from './keyed-windows';
import type { RuleId, RuleState } from './rule';
import { decodeWindow, encodeWindow, type StoredWindow } from './stored-window';
import { StoredKeys, type StoredKey } from './stored-keys';

/** One rule's state as of the engine's last commit: its document, every stored key's standing, and the windows read so far. */
type RuleMemory = { document: string | undefined; keys: StoredKeys; windows: Map<string, KeyWindow>; orphans: number[] };

/** A rule's state to evaluate from, and the windows its lookup fetched during the evaluation. */
export type RuleView = { rule: RuleId; state: RuleState | undefined; fetched: Map<string, KeyWindow> };

/** What a step will write of one rule, and what the memory becomes once it is committed. */
export type PendingRuleState = { write: RuleStateWrite; changed: Array<{ window: KeyWindow; key: StoredKey }>; forgotten: Set<string>; reset: boolean };

const emptyMemory = (document?: string): RuleMemory => ({ document, keys: new StoredKeys(), windows: new Map(), orphans: [] });

/**
 * The rule states as of the engine's last commit, kept in memory by the one
 * engine that writes them (the detection thread). A rule's windows are stored
 * one row per key and read lazily: at start the engine reads each key's
 * standing only (what the caps need), and a key's window when an event first
 * touches it; hot keys then stay here. A step writes only the keys it touched
 * or forgot. A step that fails forgets everything: the next reads the store.
 */
export class RuleStateCache {
  private rules: Map<RuleId, RuleMemory> | undefined;
  private nextRowId = 1;

  view(store: DetectionStore, rule: RuleId): RuleView {
    const memory = this.memoryOf(store, rule);
    const fetched = new Map<string, KeyWindow>();
    if (memory.document === undefined) return { rule, state: undefined, fetched };
    const lookup = (keyId: string): KeyWindow | undefined => {
      let window = memory.windows.get(keyId);
      const stored = memory.keys.get(keyId);
      if (!window && stored) {
        const body = store.windowBody(stored.rowId);
        if (body === undefined) throw new Error(`detection: window row ${stored.rowId} of ${rule} is missing`);
        window = decodeWindow({ ...stored, body });
        memory.windows.set(keyId, window);
      }
      if (window) fetched.set(keyId, window);
      return window;
    };
    const document = JSON.parse(memory.document) as Omit<KeyedWindowsState, 'windows'>;
    return { rule, state: { ...document, windows: [], lookup }, fetched };
  }

  /**
   * What to write after a rule's evaluation returned `after` from `view`: the
   * windows it changed, and the rows of keys it dropped, of keys gone quiet
   * or over the caps among all stored ones, or of a grouping given up.
   */
  changes(store: DetectionStore, view: RuleView, after: RuleState, now: number): PendingRuleState | undefined {
    const memory = this.memoryOf(store, view.rule);
    const { windows: afterWindows, lookup: _lookup, ...rest } = after;
    const document = JSON.stringify(rest);
    const previous = memory.document === undefined ? undefined : (JSON.parse(memory.document) as Partial<KeyedWindowsState>);
    const reset = previous?.version !== after.version || previous.groupBy !== after.groupBy;
    // A grouping given up drops every stored key; otherwise the keys as stored, with this evaluation's changes.
    const keys = reset ? new StoredKeys() : memory.keys;
    const removed = reset ? [...memory.orphans, ...[...memory.keys.values()].map((stored) => stored.rowId)] : [...memory.orphans];
    const dropped = new Set(view.fetched.keys());
    const changed: PendingRuleState['changed'] = [];
    for (const window of afterWindows) {
      dropped.delete(window.keyId);
      if (view.fetched.get(window.keyId) === window) continue;
      changed.push({ window, key: { ...standingOf(window), rowId: keys.get(window.keyId)?.rowId ?? 0 } });
    }
    changed.sort((a, b) => a.key.lastSeq - b.key.lastSeq);
    const forgotten = keys.toForget(
      changed.map(({ key }) => key),
      dropped,
      now,
      after.windowMs,
    );
    for (const keyId of forgotten) {
      const rowId = keys.get(keyId)?.rowId;
      if (rowId !== undefined) removed.push(rowId);
    }
    const kept = changed.filter(({ key }) => !forgotten.has(key.keyId));
    // A new key takes the row of a key forgotten: at the cap, one write instead of a delete and an insert.
    for (const { key } of kept) if (key.rowId === 0) key.rowId = removed.pop() ?? this.nextRowId++;
    if (document === memory.document && kept.length === 0 && removed.length === 0) return undefined;
    const written = kept.map(({ window, key }): StoredWindow => ({ ...key, body: encodeWindow(window) }));
    return { write: { rule: view.rule, document: document === memory.document ? undefined : document, written, removed }, changed: kept, forgotten, reset };
  }

  /** After a commit: the memory holds what it wrote. */
  committed(pending: readonly PendingRuleState[]): void {
    if (!this.rules) return;
    for (const { write, changed, forgotten, reset } of pending) {
      const memory = reset ? emptyMemory() : this.rules.get(write.rule)!;
      this.rules.set(write.rule, memory);
      if (write.document !== undefined) memory.document = write.document;
      memory.keys.apply(
        changed.map(({ key }) => key),
        forgotten,
      );
      for (const keyId of forgotten) memory.windows.delete(keyId);
      for (const { window } of changed) memory.windows.set(window.keyId, window);
      memory.orphans = [];
    }
  }

  forget(): void {
    this.rules = undefined;
  }

  /** How many keys and windows it holds for a rule (for tests and figures). */
  sizeOf(rule: RuleId): { keys: number; windows: number } {
    const memory = this.rules?.get(rule);
    return { keys: memory?.keys.size ?? 0, windows: memory?.windows.size ?? 0 };
  }

  private memoryOf(store: DetectionStore, rule: RuleId): RuleMemory {
    this.rules ??= this.load(store);
    let memory = this.rules.get(rule);
    if (!memory) this.rules.set(rule, (memory = emptyMemory()));
    return memory;
  }

  /** Documents and standings only, stalest first; a key seen twice (never written so, but cheap to mend) keeps its latest row. */
  private load(store: DetectionStore): Map<RuleId, RuleMemory> {
    const rules = new Map<RuleId, RuleMemory>();
    for (const [rule, document] of Object.entries(store.ruleDocuments()) as Array<[RuleId, string]>) rules.set(rule, emptyMemory(document));
    this.nextRowId = 1;
    for (const { rule, ...stored } of store.windowStandings()) {
      this.nextRowId = Math.max(this.nextRowId, stored.rowId + 1);
      let memory = rules.get(rule);
      if (!memory) rules.set(rule, (memory = emptyMemory()));
      const earlier = memory.keys.get(stored.keyId);
      if (earlier) memory.orphans.push(earlier.rowId);
      memory.keys.add(stored);
    }
    return rules;
  }
}
