/**
 * Seeds a database with a realistic, deterministic event mix (scripts/seed-events.ts)
 * for read benchmarks and for trying the dashboard on real volumes.
 *
 *   npm run seed -- [--events N] [--days D] [--db FILE] [--end ISO-TIME]
 *
 * Defaults: 1,000,000 events over 30 days ending now, into data/seed.db. Refuses
 * an existing file (the events' ids are deterministic: a second seed would only
 * add repeats).
 */
import fs from 'node:fs';
import { seedDatabase } from './seed-database';

type Options = { events: number; days: number; db: string; end: number };

export function parseSeedOptions(argv: string[], defaults: Options): Options {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--db') options.db = value;
    else if (flag === '--end') options.end = Date.parse(value);
    else if (flag === '--events' || flag === '--days') options[flag === '--events' ? 'events' : 'days'] = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(options.events) || options.events < 1) throw new Error('--events must be a positive integer');
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 365) throw new Error('--days must be 1..365');
  if (!Number.isFinite(options.end)) throw new Error('--end must be an ISO time');
  return options;
}

function main(): void {
  const options = parseSeedOptions(process.argv.slice(2), { events: 1_000_000, days: 30, db: 'data/seed.db', end: Date.now() });
  if (fs.existsSync(options.db)) throw new Error(`${options.db} exists: remove it or choose another --db`);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`seeding ${options.events.toLocaleString('en')} events over ${options.days} days ending ${new Date(options.end).toISOString()} into ${options.db}`);
  const result = seedDatabase({ file: options.db, events: options.events, days: options.days, end: options.end }, say);
  say(`done: ${result.stored.toLocaleString('en')} stored in ${result.seconds.toFixed(1)} s (${Math.round(result.eventsPerSecond)} events/s); ${(fs.statSync(options.db).size / 1048576).toFixed(1)} MiB`);
}

if (process.argv[1]?.endsWith('seed.ts')) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`seed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
