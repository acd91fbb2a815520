import 'server-only';
import { Gauge } from 'prom-client';
import { getOrCreate } from './registry';

export const gauges = {
  alertsOpen: () =>
    getOrCreate(
      'authwatch_alerts_open',
      (registry) =>
        new Gauge({
          name: 'authwatch_alerts_open',
          help: 'Alerts currently open, by rule and severity.',
          labelNames: ['rule', 'severity'] as const,
          registers: [registry],
        }),
    ),
};
