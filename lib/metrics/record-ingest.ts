import 'server-only';
import { EVENT_TYPES, REASONS_BY_TYPE, type EventType, type FailureType } from '../events/catalog';
import { rejectionReasonOf } from '../errors';
import { counters } from './counters';

/** The per-reason counter each failure type feeds, besides authwatch_events_total. */
const FAILURE_COUNTERS: Record<FailureType, () => ReturnType<typeof counters.failedLogins>> = {
  'login.failure': counters.failedLogins,
  'token.rejected': counters.invalidTokens,
  'access.denied': counters.accessDenied,
  'rate_limit.exceeded': counters.rateLimited,
  'mtls.rejected': counters.mtlsRejections,
};

export type CountedEvent = { type: EventType; reason?: string };

/** Counts newly stored events; call only after the transaction that stored them committed. */
export function countStoredEvents(service: string, stored: readonly CountedEvent[], redactions: number): void {
  const events = counters.events();
  for (const event of stored) {
    events.inc({ service, type: event.type });
    const failureCounter = event.type in FAILURE_COUNTERS ? FAILURE_COUNTERS[event.type as FailureType] : undefined;
    if (failureCounter && event.reason) failureCounter().inc({ service, reason: event.reason });
  }
  if (redactions > 0) counters.ingestRedactions().inc({ service }, redactions);
}

export function countRejection(code: string, count = 1): void {
  counters.ingestRejected().inc({ reason: rejectionReasonOf(code) }, count);
}

/**
 * Gives every registered service a zero-valued series for each type and reason,
 * so `rate()` and `absent()` see a service before its first failure.
 */
export function initialiseServiceSeries(services: readonly string[]): void {
  for (const service of services) {
    for (const type of EVENT_TYPES) counters.events().inc({ service, type }, 0);
    for (const [type, reasons] of Object.entries(REASONS_BY_TYPE) as [FailureType, readonly string[]][]) {
      for (const reason of reasons) FAILURE_COUNTERS[type]().inc({ service, reason }, 0);
    }
    counters.ingestRedactions().inc({ service }, 0);
  }
}
