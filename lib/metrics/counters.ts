import 'server-only';
import { Counter } from 'prom-client';
import { getOrCreate } from './registry';

/** Label values only ever come from bounded sets: registered services, the event catalog, closed error codes. */
const SERVICE_REASON = ['service', 'reason'] as const;

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return getOrCreate(name, (registry) => new Counter({ name, help, labelNames, registers: [registry] }));
}

export const counters = {
  failedLogins: () =>
    counter('authwatch_failed_logins_total', 'login.failure events accepted, by service and reason.', SERVICE_REASON),
  invalidTokens: () =>
    counter('authwatch_invalid_tokens_total', 'token.rejected events accepted, by service and reason.', SERVICE_REASON),
  accessDenied: () =>
    counter('authwatch_access_denied_total', 'access.denied events accepted, by service and reason.', SERVICE_REASON),
  rateLimited: () =>
    counter('authwatch_rate_limited_total', 'rate_limit.exceeded events accepted, by service and reason.', SERVICE_REASON),
  mtlsRejections: () =>
    counter('authwatch_mtls_rejections_total', 'mtls.rejected events accepted, by service and reason.', SERVICE_REASON),
  events: () =>
    counter('authwatch_events_total', 'Events accepted and stored (duplicates counted once), by service and type.', [
      'service',
      'type',
    ] as const),
  ingestRejected: () =>
    counter(
      'authwatch_ingest_rejected_total',
      'Ingest rejections: one per rejected event, or one per request refused as a whole, by reason.',
      ['reason'] as const,
    ),
  ingestRedactions: () =>
    counter(
      'authwatch_ingest_redactions_total',
      'Secret-looking values (JWTs, bearer credentials, passwords) redacted from stored events, by service.',
      ['service'] as const,
    ),
  alertsFired: () =>
    counter('authwatch_alerts_fired_total', 'Alerts raised by the detection rules, by rule and severity.', [
      'rule',
      'severity',
    ] as const),
};
