/**
 * Key-id timing: does an ingest key id that exists answer at a different
 * speed from one that does not? Both are wrong credentials (401); only the
 * id differs. Calls authenticateIngest in process on a real store, alternating
 * the two kinds so drifts in machine load hit both alike, and reports each
 * kind's median and the median of the paired differences, per round.
 *
 *   npm run bench:key-timing -- [--pairs N] [--rounds R] [--keys K]
 *
 * N pairs per round (default 200,000), R rounds (5), K keys in the store (50).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authenticateIngest } from '../lib/auth/authenticate-ingest';
import { generateIngestKey } from '../lib/auth/ingest-key-format';
import { createIngestKey } from '../lib/auth/manage-ingest-keys';
import { addService } from '../lib/services/manage-services';
import { createSqliteStore } from '../lib/store/sqlite/sqlite-store';
import { parseFlags } from './bench-flags';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const options = parseFlags(process.argv.slice(2), { pairs: 200_000, rounds: 5, keys: 50 }, 'bench-key-timing [--pairs N] [--rounds R] [--keys K]');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-key-timing-'));
  const store = createSqliteStore({ file: path.join(dir, 'keys.db'), synchronous: 'FULL', busyTimeoutMs: 250, cacheMegabytes: 8 });
  try {
    const now = Date.now();
    addService({ ctx: { store, now }, input: { name: 'gateway' } });
    const keys = Array.from({ length: options.keys }, () => createIngestKey({ ctx: { store, now }, input: { service: 'gateway' } }).key);
    // Same length and alphabet: a known id with a wrong secret, an unknown id with a secret.
    const wrongSecret = () => `Bearer ${keys[Math.floor(Math.random() * keys.length)].slice(0, 16)}${randomBytes(32).toString('base64url')}`;
    const unknownId = () => `Bearer ${generateIngestKey().key}`;
    const timed = (authorization: string): number => {
      const started = process.hrtime.bigint();
      try {
        authenticateIngest({ ctx: { store, now }, input: { authorization } });
        throw new Error('a wrong credential was accepted');
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_AUTH_INVALID') throw error;
      }
      return Number(process.hrtime.bigint() - started) / 1_000;
    };
    say(`authwatch key-id timing: ${os.cpus().length} CPUs, node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    say(`${options.keys} keys; ${options.pairs.toLocaleString('en')} alternating pairs per round (known id + wrong secret, unknown id)`);
    const differences: number[] = [];
    for (let round = 0; round <= options.rounds; round++) {
      const known = new Float64Array(options.pairs);
      const unknown = new Float64Array(options.pairs);
      const paired = new Float64Array(options.pairs);
      for (let i = 0; i < options.pairs; i++) {
        // Headers made outside the timed call; which kind goes first alternates too.
        const [a, b] = [wrongSecret(), unknownId()];
        if (i % 2 === 0) {
          known[i] = timed(a);
          unknown[i] = timed(b);
        } else {
          unknown[i] = timed(b);
          known[i] = timed(a);
        }
        paired[i] = known[i] - unknown[i];
      }
      if (round === 0) continue; // warm-up
      const difference = median(paired);
      differences.push(difference);
      say(`  round ${round}: median known ${median(known).toFixed(2)} µs, unknown ${median(unknown).toFixed(2)} µs, median paired difference ${difference.toFixed(2)} µs`);
    }
    differences.sort((a, b) => a - b);
    const overall = differences[Math.floor(differences.length / 2)];
    say(JSON.stringify({ medianDifferenceUs: Number(overall.toFixed(3)), rounds: differences.map((d) => Number(d.toFixed(3))), loadAverage1m: Number(os.loadavg()[0].toFixed(2)) }));
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
