/** How long the outcome of the last write answers readiness before a probe is due; at most one probe runs per interval. */
export const READY_REUSE_MS = 1_000;

type Outcome = { at: number; error?: unknown };

/**
 * The outcome of the store's last write, as the main thread saw it come back
 * from the writer: readiness reuses it, so a flood of /api/ready costs no
 * write per request. Once the outcome is older than READY_REUSE_MS, one probe
 * (a small synced write on the writer thread) refreshes it, shared by every
 * request that asks meanwhile.
 */
export class LastWrite {
  private last: Outcome | undefined;
  private probing: Promise<void> | undefined;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Notes the outcome of a write as it settles; the write's own result or error passes through. */
  track<T>(write: Promise<T>): Promise<T> {
    return write.then(
      (value) => {
        this.last = { at: this.clock() };
        return value;
      },
      (error: unknown) => {
        this.last = { at: this.clock(), error };
        throw error;
      },
    );
  }

  /** Resolves when the last write (or a fresh probe) succeeded; throws the error it failed with. */
  async ready(): Promise<void> {
    if (!this.last || this.clock() - this.last.at >= READY_REUSE_MS) {
      this.probing ??= this.track(this.probe())
        .catch(() => undefined)
        .finally(() => (this.probing = undefined));
      await this.probing;
    }
    if (this.last?.error !== undefined) throw this.last.error;
  }
}
