import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateIngestKey } from '@/lib/auth/ingest-key-format';
import { keyLedger } from '@/demo/launcher/authwatch-cli';

/**
 * The demo's record of the ingest keys a run created, so they are revoked on
 * stop or by the next run: it holds the keys' public ids, never their secrets.
 */
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'key-ledger-'));
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

describe('keyLedger', () => {
  it('keeps only the ids of the keys, adds to what an earlier run left, and is readable by its owner alone', () => {
    const ledger = keyLedger(path.join(directory, 'authwatch.db'));
    const earlier = generateIngestKey();
    const now = [generateIngestKey(), generateIngestKey()];
    ledger.record([earlier.key]);
    ledger.record([...now.map((key) => key.key), 'not-an-ingest-key']);

    const text = fs.readFileSync(ledger.file, 'utf8');
    expect(JSON.parse(text)).toEqual([earlier.id, ...now.map((key) => key.id)]);
    for (const key of [earlier, ...now]) expect(text).not.toContain(key.secret);
    expect(fs.statSync(ledger.file).mode & 0o777).toBe(0o600);
  });
});
