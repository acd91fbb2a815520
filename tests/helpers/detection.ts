import type { DetectionEvent } from '@/lib/detection/detection-event';
import type { Finding, Rule, RuleState } from '@/lib/detection/rule';
import type { CommonParams } from '@/lib/detection/rule-params';

/** A fixed clock for detection tests: 2025-03-10 12:00:00 UTC. */
export const T0 = Date.parse('2025-03-10T12:00:00.000Z');
export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/**
 * Detection events with increasing seq (the order the store committed them),
 * whatever their times: pass times out of order to test out-of-order arrival.
 */
export function eventSequence(firstSeq = 1) {
  let seq = firstSeq - 1;
  return (overrides: Partial<DetectionEvent> = {}): DetectionEvent => {
    seq += 1;
    return {
      seq,
      id: `evt-${seq}`,
      time: T0,
      receivedAt: overrides.time ?? T0,
      service: 'gateway',
      type: 'login.failure',
      reason: 'bad_credentials',
      ip: '203.0.113.7',
      username: 'alice@example.com',
      subject: null,
      clientId: null,
      jti: null,
      tokenKid: null,
      tokenAlg: null,
      tokenIssuedAt: null,
      tokenExpiresAt: null,
      scheme: 'https',
      tlsSubject: null,
      ...overrides,
    };
  };
}

export type RuleRun = { state: RuleState | undefined; findings: Finding[] };

/**
 * Runs a rule over events in batches (one evaluation per batch), with the
 * state serialised to JSON and read back between batches, as the engine keeps
 * it. Findings of all batches together.
 */
export function runRule<Params extends CommonParams>(
  rule: Rule<Params>,
  batches: readonly (readonly DetectionEvent[])[],
  params: Params = rule.params.parse({}),
  now = T0 + HOUR,
  initial?: RuleState,
): RuleRun {
  let state = initial;
  const findings: Finding[] = [];
  for (const batch of batches) {
    const result = rule.evaluate(state, batch, params, now);
    for (const finding of result.findings) findings.push(finding);
    state = JSON.parse(JSON.stringify(result.state));
  }
  return { state, findings };
}

/** How many events were attributed to each key, by key id. */
export function reportedCounts(findings: readonly Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.keyId] = (counts[finding.keyId] ?? 0) + finding.events.length;
  return counts;
}

export function reportedSeqs(findings: readonly Finding[]): number[] {
  return findings.flatMap((finding) => finding.events.map((event) => event.seq)).sort((a, b) => a - b);
}
