import 'server-only';
import { Histogram } from 'prom-client';
import { getOrCreate } from './registry';

export const histograms = {
  ingestRequestDuration: () =>
    getOrCreate(
      'authwatch_ingest_request_duration_seconds',
      (registry) =>
        new Histogram({
          name: 'authwatch_ingest_request_duration_seconds',
          help: 'Time to answer POST /api/v1/events, by HTTP status.',
          labelNames: ['status'] as const,
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers: [registry],
        }),
    ),
};
