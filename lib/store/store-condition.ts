import { AuthwatchError, type ErrorCode } from '../errors';
import { log } from '../log';

/** How often a store that keeps failing is mentioned again in the log. */
export const STORE_REMINDER_MS = 60_000;

type Failing = { code: ErrorCode; since: number; remindedAt: number; failures: number };

/**
 * The writer's view of its store, for the log: a store that starts failing (a
 * full disk, a lost file, a held lock) is logged once, then reminded of once a
 * minute while it keeps failing, and its recovery is logged once. Every commit
 * and upkeep task reports here, so a failure repeated ten times a second
 * writes one line, not ten. A success while healthy costs one comparison.
 */
export class StoreCondition {
  private failing: Failing | undefined;

  constructor(
    private readonly reminderMs: number = STORE_REMINDER_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Runs a write, noting whether it succeeded; its result or error passes through. */
  observe<T>(write: () => T): T {
    let value: T;
    try {
      value = write();
    } catch (error) {
      this.failed(error);
      throw error;
    }
    this.succeeded();
    return value;
  }

  succeeded(): void {
    if (!this.failing) return;
    const { code, since, failures } = this.failing;
    this.failing = undefined;
    log.info('store recovered', { code, failedForMs: this.clock() - since, failures });
  }

  failed(error: unknown): void {
    const code: ErrorCode = error instanceof AuthwatchError ? error.code : 'ERR_INTERNAL';
    // Only an AuthwatchError's message is logged: another error's could quote data.
    const message = error instanceof AuthwatchError ? error.message : 'unexpected store error';
    const now = this.clock();
    if (this.failing?.code !== code) {
      this.failing = { code, since: now, remindedAt: now, failures: 1 };
      log.error('store failing', { code, message });
      return;
    }
    this.failing.failures += 1;
    if (now - this.failing.remindedAt < this.reminderMs) return;
    this.failing.remindedAt = now;
    log.error('store still failing', { code, message, failingForMs: now - this.failing.since, failures: this.failing.failures });
  }
}
