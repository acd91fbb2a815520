import fs from 'node:fs';
import { AuthwatchError } from '../../errors';

/**
 * Notices the database file being deleted (or replaced by a rename) under a
 * running server. SQLite keeps writing to the open, unlinked inode and every
 * commit "succeeds", so each acknowledged event would be gone at the next
 * start. A descriptor of our own on the file shows it: its link count falls to
 * 0. One fstat costs microseconds, nothing beside a commit. Once lost, the file
 * stays lost for this process: only a restart opens the file at the path again.
 */
export class DatabaseFile {
  private fd: number | undefined;
  private lost = false;

  constructor(readonly file: string) {
    this.fd = file === ':memory:' || file === '' ? undefined : fs.openSync(file, 'r');
  }

  /** Throws ERR_STORE_UNAVAILABLE once the file has no name left on disk. */
  check(): void {
    if (this.fd === undefined) return;
    if (!this.lost && fs.fstatSync(this.fd).nlink > 0) return;
    this.lost = true;
    throw new AuthwatchError('ERR_STORE_UNAVAILABLE', 'the database file was deleted or replaced while the server ran; restart authwatch', {
      retryAfterSeconds: 60,
    });
  }

  /** Closes the descriptor once: closing a number twice could close a descriptor since given to SQLite. */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
