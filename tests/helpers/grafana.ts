import fs from 'node:fs';
import path from 'node:path';
import type { AuthwatchDashboard, AuthwatchPanel, PrometheusTarget } from '@/grafana/dashboard-schema';
import { GRAFANA_DIR, readYaml } from './observability';

/** The provisioned dashboards as the tests read them (their shape is checked by dashboard-schema.test.ts). */
export const DASHBOARDS_DIR = path.join(GRAFANA_DIR, 'dashboards');

export type DashboardFile = { file: string; text: string; dashboard: AuthwatchDashboard };

export function loadDashboards(): DashboardFile[] {
  return fs
    .readdirSync(DASHBOARDS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(DASHBOARDS_DIR, name), 'utf8');
      return { file: name, text, dashboard: JSON.parse(text) as AuthwatchDashboard };
    });
}

export type PanelTarget = { dashboard: string; panel: AuthwatchPanel; target: PrometheusTarget };

export function panelTargets(dashboards: DashboardFile[]): PanelTarget[] {
  return dashboards.flatMap(({ dashboard }) =>
    dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => ({ dashboard: dashboard.uid, panel: panel as AuthwatchPanel, target: target as PrometheusTarget })),
    ),
  );
}

type ProvisionedDatasources = { datasources: { name: string; uid: string; type: string; url: string; isDefault?: boolean }[] };

export function provisionedDatasource(): ProvisionedDatasources['datasources'][number] {
  const { datasources } = readYaml<ProvisionedDatasources>('grafana/provisioning/datasources/authwatch.yaml');
  if (datasources.length !== 1) throw new Error(`expected one provisioned data source, found ${datasources.length}`);
  return datasources[0];
}

export type TemplateValues = { services: readonly string[]; range: string; rateInterval: string; interval: string };

/** Escapes a value as Grafana does for a Prometheus regex matcher, inside a PromQL double-quoted string. */
function promRegexValue(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');
}

/**
 * A target's expression as Grafana sends it: `$service` (every value of the
 * multi-value variable, "All" selected) as a regex alternation, and the
 * built-in intervals. Throws on any variable left over.
 */
export function interpolate(expr: string, values: TemplateValues): string {
  const services = `(${values.services.map(promRegexValue).join('|')})`;
  const result = expr
    .replace(/\$\{service(?::regex)?\}|\$service\b/g, services)
    .replace(/\$\{?__rate_interval\}?/g, values.rateInterval)
    .replace(/\$\{?__range\}?/g, values.range)
    .replace(/\$\{?__interval\}?/g, values.interval);
  if (result.includes('$')) throw new Error(`unsubstituted variable in ${expr}`);
  return result;
}
