import fs from 'node:fs';
import { createReporter, type Reporter, type ReporterProblem } from '../../lib/reporter';

/**
 * One reporter per demo component, each with the ingest key of its own service,
 * exactly as a real service would use the library. With an acknowledgement log
 * (set by the integration test), every id authwatch acknowledged is appended to
 * it, so the test can check that each one is stored.
 */
export type ComponentReporter = Pick<Reporter, 'report'>;

export type ReporterSettings = { authwatchUrl: string; key: string; service: string; ackLog?: string };

export function createComponentReporter(settings: ReporterSettings): Reporter {
  return createReporter({
    url: settings.authwatchUrl,
    key: settings.key,
    service: settings.service,
    batchSize: 200,
    flushIntervalMs: 500,
    backoffMaxMs: 4_000,
    onAcknowledged: settings.ackLog
      ? (ids) => fs.appendFileSync(settings.ackLog as string, ids.map((id) => `${settings.service} ${id}\n`).join(''))
      : undefined,
    onError: (problem) => logProblem(settings.service, problem),
  });
}

function logProblem(service: string, problem: ReporterProblem): void {
  // A retry is expected while authwatch restarts: say so once per outage, not once per attempt.
  if (problem.kind === 'retrying' && problem.attempt !== 1) return;
  const detail = problem.kind === 'rejected' ? { status: problem.status, count: problem.ids.length, codes: problem.codes.slice(0, 5) } : problem;
  process.stderr.write(`${JSON.stringify({ msg: `reporter ${problem.kind}`, service, ...detail })}\n`);
}
