import { DEMO_SERVICES, parseInput, readConfig } from './config';
import { startDemoSystem } from './system';

/**
 * The demo system as a process: reads its input (authwatch URL and ingest
 * keys) from standard input, prints JSON lines on stdout — `ready` with its
 * URLs, one `scenario` line per attack run with the statuses the attacker got,
 * `reporter` lines with each reporter's final counts, `stopped` — and stops
 * cleanly on SIGINT or SIGTERM.
 */
const line = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const config = readConfig(parseInput(await readStdin()));
  const system = await startDemoSystem(config, (result) => line({ msg: 'scenario', ...result }));
  line({ msg: 'ready', ...system.urls, services: DEMO_SERVICES, pid: process.pid });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const stats = await system.stop();
    for (const [service, counts] of Object.entries(stats)) line({ msg: 'reporter', service, ...counts });
    line({ msg: 'stopped', signal });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ msg: 'demo system failed', error: String(error) })}\n`);
  process.exit(1);
});
