/**
 * The demo system's settings. The launcher (scripts/demo.ts, or a test) writes
 * the authwatch URL and one ingest key per component as JSON on standard input,
 * so keys never appear in a command line or the environment; timings come from
 * DEMO_* variables with defaults suited to a first look.
 */
export const DEMO_SERVICES = ['auth-server', 'gateway', 'orders', 'payments', 'customers'] as const;
export type DemoService = (typeof DEMO_SERVICES)[number];

export type DemoInput = { authwatchUrl: string; keys: Record<DemoService, string> };
export type DemoConfig = DemoInput & {
  /** When set, every id authwatch acknowledges is appended here (`<service> <id>` per line). */
  ackLog?: string;
  /** Where the demo CA's certificate is written, for curl --cacert. */
  caFile?: string;
  firstAttackDelayMs: number;
  attackSpacingMs: number;
  attackPeriodMs: number;
  keyRotationMs: number;
  lockMs: number;
};

export function parseInput(text: string): DemoInput {
  const input = JSON.parse(text) as Partial<DemoInput>;
  if (typeof input.authwatchUrl !== 'string' || !/^https?:\/\//.test(input.authwatchUrl)) throw new Error('input needs authwatchUrl');
  for (const service of DEMO_SERVICES) {
    if (typeof input.keys?.[service] !== 'string') throw new Error(`input needs an ingest key for ${service}`);
  }
  return input as DemoInput;
}

function milliseconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds`);
  return value;
}

export function readConfig(input: DemoInput): DemoConfig {
  return {
    ...input,
    ackLog: process.env.DEMO_ACK_LOG || undefined,
    caFile: process.env.DEMO_CA_FILE || undefined,
    firstAttackDelayMs: milliseconds('DEMO_FIRST_ATTACK_DELAY_MS', 3_000),
    attackSpacingMs: milliseconds('DEMO_ATTACK_SPACING_MS', 2_000),
    attackPeriodMs: milliseconds('DEMO_ATTACK_PERIOD_MS', 180_000),
    keyRotationMs: milliseconds('DEMO_KEY_ROTATION_MS', 300_000),
    lockMs: milliseconds('DEMO_LOCK_MS', 30_000),
  };
}
