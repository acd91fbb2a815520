import { AuthwatchError, type ErrorCode } from '../errors';
import { log } from '../log';

/** How often a store that keeps failing is mentioned again in the log. */
export const STORE_REMINDER_MS = 60_000;
/**
 * How long writes must go without a failure before the store counts as
 * recovered: a nearly full disk lets some commits through (into space the
 * write-ahead log already has) while others fail, and that is one state.
 */
export const STORE_SETTLE_MS = 5_000;

type Failing = { code: ErrorCode; since: number; remindedAt: number; failedAt: number; failures: number };

/**
 * The writer's view of its store, for the log: a store that starts failing (a
 * full disk, a lost file, a held lock) is logged once, then reminded of once a
 * minute while it keeps failing, and its recovery (no failure for
 * STORE_SETTLE_MS) is logged once. Every commit and upkeep task reports here,
 * so a failure repeated ten times a second writes one line, not ten. A success
 * while healthy costs one comparison.
 */
export class StoreCondition {
  private failing: Failing | undefined;

  constructor(
    private readonly reminderMs: number = STORE_REMINDER_MS,
    private readonly settleMs: number = STORE_SETTLE_MS,
    private readonly clock: () => number = Date.now,
    /** What the log lines name: the checkpointer's are "checkpoint failing", so a full disk is one "store failing", the writer's. */
    private readonly subject: 'store' | 'checkpoint' = 'store',
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
    const now = this.clock();
    const { code, since, failedAt, failures } = this.failing;
    if (now - failedAt < this.settleMs) return;
    this.failing = undefined;
    log.info(`${this.subject} recovered`, { code, failedForMs: failedAt - since, failures });
  }

  failed(error: unknown): void {
    const code: ErrorCode = error instanceof AuthwatchError ? error.code : 'ERR_INTERNAL';
    // Only an AuthwatchError's message is logged: another error's could quote data.
    const message = error instanceof AuthwatchError ? error.message : 'unexpected store error';
    const now = this.clock();
    if (this.failing?.code !== code) {
      this.failing = { code, since: now, remindedAt: now, failedAt: now, failures: 1 };
      log.error(`${this.subject} failing`, { code, message });
      return;
    }
    this.failing.failures += 1;
    this.failing.failedAt = now;
    if (now - this.failing.remindedAt < this.reminderMs) return;
    this.failing.remindedAt = now;
    log.error(`${this.subject} still failing`, { code, message, failingForMs: now - this.failing.since, failures: this.failing.failures });
  }
}
