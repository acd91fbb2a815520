import type { DetectionStore } from './detection-store';
import type { RuleId, RuleState } from './rule';

type RuleStates = Partial<Record<RuleId, RuleState>>;

/**
 * The rule states as of the engine's last commit, kept in memory by the one
 * engine that writes them (the detection thread), so a step does not parse
 * every state from the store again: under heavy traffic the states run to
 * megabytes, and parsing them was a third of a step. Rules never mutate a
 * state in place, so the objects a step started from stay valid. A step that
 * fails forgets them: the next one reads what the store holds.
 */
export class RuleStateCache {
  private states: RuleStates | undefined;

  read(store: DetectionStore): RuleStates {
    return (this.states ??= store.states());
  }

  /** After a commit: the states it started from with those it wrote. */
  committed(before: RuleStates, changed: RuleStates): void {
    this.states = { ...before, ...changed };
  }

  forget(): void {
    this.states = undefined;
  }
}
