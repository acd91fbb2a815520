import { describe, expect, it } from 'vitest';
import { loadDashboards, panelTargets, provisionedDatasource } from '../helpers/grafana';
import { readYaml } from '../helpers/observability';

const dashboards = loadDashboards();
const targets = panelTargets(dashboards);
const datasource = provisionedDatasource();
const EXPLORER = '${authwatch_url}/events?';
const TIME_RANGE = 'from=${__from:date:iso}&to=${__to:date:iso}';
const recorded = new Set(
  readYaml<{ groups: { rules: { record?: string }[] }[] }>('prometheus/rules/authwatch-recording.rules.yml').groups.flatMap((group) =>
    group.rules.map((rule) => rule.record),
  ),
);

describe('the provisioned dashboards', () => {
  it('have stable, unique uids named after their files, and the titles the issue names', () => {
    const uids = dashboards.map(({ dashboard }) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { file, dashboard } of dashboards) expect(`${dashboard.uid}.json`).toBe(file);
    expect(Object.fromEntries(dashboards.map(({ dashboard }) => [dashboard.uid, dashboard.title]))).toEqual({
      'authwatch-health': 'authwatch health',
      'authwatch-security': 'Authentication security',
    });
  });

  it('give every panel a unique id within its dashboard', () => {
    for (const { dashboard } of dashboards) {
      const ids = dashboard.panels.map((panel) => panel.id);
      expect(new Set(ids).size, dashboard.uid).toBe(ids.length);
    }
  });

  it('query only the provisioned Prometheus data source, by uid, in every panel and target', () => {
    expect(datasource).toMatchObject({ type: 'prometheus', uid: 'authwatch-prometheus' });
    const expected = { type: datasource.type, uid: datasource.uid };
    for (const { dashboard } of dashboards) {
      for (const panel of dashboard.panels) expect(panel.datasource, `${dashboard.uid} / ${panel.title}`).toEqual(expected);
      for (const variable of dashboard.templating?.list ?? []) if (variable.type === 'query') expect(variable.datasource).toEqual(expected);
    }
    for (const { target, panel } of targets) expect(target.datasource, panel.title).toEqual(expected);
    for (const { text } of dashboards) expect(text).not.toMatch(/\$\{DS_|"__inputs"/);
  });

  it('have a multi-value `service` variable over the services authwatch reports, defaulting to all', () => {
    for (const { dashboard } of dashboards) {
      const service = dashboard.templating?.list?.find((variable) => variable.name === 'service');
      expect(service, dashboard.uid).toMatchObject({
        type: 'query',
        query: 'label_values(authwatch_events_total, service)',
        multi: true,
        includeAll: true,
        current: { value: ['$__all'] },
      });
    }
  });

  it('filter every query on a per-service series by the `service` variable', () => {
    const counters = 'events|failed_logins|invalid_tokens|access_denied|rate_limited|mtls_rejections|ingest_redactions';
    const perService = new RegExp(`\\b(?:authwatch_(?:${counters})_total|service(?:_[a-z]+)?:authwatch_[a-z_]+:[a-z0-9_]+)`, 'g');
    let filtered = 0;
    for (const { target, panel } of targets) {
      for (const match of target.expr.matchAll(perService)) {
        filtered += 1;
        expect(target.expr.slice(match.index + match[0].length), `${panel.title}: ${match[0]}`).toMatch(/^\{service=~"\$service"\}/);
      }
    }
    expect(filtered).toBe(12);
  });

  it('read rates from recording rules that exist', () => {
    for (const { target, panel } of targets) {
      for (const name of target.expr.match(/[a-z_]+:[a-z_]+:[a-z0-9_]+/g) ?? []) expect(recorded.has(name), `${panel.title}: ${name}`).toBe(true);
      expect(target.expr, panel.title).not.toMatch(/\brate\(/);
    }
  });

  it('link every per-service panel to the authwatch explorer with the same service and time range', () => {
    let linked = 0;
    for (const { dashboard } of dashboards) {
      for (const panel of dashboard.panels) {
        const byService = panel.targets.some((target) => /by \((?:[a-z_]+, )*service\b/.test(target.expr));
        if (!byService) continue;
        linked += 1;
        const links = [
          ...(panel.fieldConfig.defaults.links ?? []),
          ...panel.fieldConfig.overrides.flatMap((override) => override.properties.flatMap((property) => (property.id === 'links' ? property.value : []))),
        ];
        const service = panel.type === 'table' ? 'service=${__data.fields.Service}' : 'service=${__field.labels.service}';
        expect(
          links.some((link) => link.url.startsWith(EXPLORER) && link.url.includes(service) && link.url.endsWith(TIME_RANGE)),
          `${dashboard.uid} / ${panel.title}: ${JSON.stringify(links)}`,
        ).toBe(true);
      }
    }
    expect(linked).toBe(8);
  });

  it('link each failure panel to its own event type, and the open-alerts panel to the alerts page', () => {
    const security = dashboards.find(({ dashboard }) => dashboard.uid === 'authwatch-security')?.dashboard;
    const urlsOf = (title: string) => security?.panels.find((panel) => panel.title === title)?.fieldConfig.defaults.links?.map((link) => link.url);
    expect(urlsOf('Failed logins by service and reason')?.[0]).toContain('&type=login.failure&reason=${__field.labels.reason}&');
    expect(urlsOf('Invalid tokens by service and reason')?.[0]).toContain('&type=token.rejected&');
    expect(urlsOf('mTLS rejections by service and reason')?.[0]).toContain('&type=mtls.rejected&');
    expect(urlsOf('Open alerts by severity')).toEqual(['${authwatch_url}/alerts?status=open&severity=${__field.labels.severity}']);
  });

  it('are provisioned by a file provider, from a path docker-compose.yml mounts grafana/dashboards at', () => {
    const { providers } = readYaml<{ providers: { type: string; options: { path: string } }[] }>('grafana/provisioning/dashboards/authwatch.yaml');
    expect(providers).toHaveLength(1);
    expect(providers[0].type).toBe('file');
    const compose = readYaml<{ services: { grafana: { volumes: string[] } } }>('docker-compose.yml');
    expect(compose.services.grafana.volumes).toContain(`./grafana/dashboards:${providers[0].options.path}:ro`);
  });
});
