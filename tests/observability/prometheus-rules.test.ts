import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderPrometheusConfig } from '@/scripts/observability/render-prometheus-config';
import { PROMETHEUS_DIR, readYaml, runTool } from '../helpers/observability';

type Rule = { record?: string; alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
type RuleFile = { groups: { name: string; rules: Rule[] }[] };
type AlertCase = { eval_time: string; alertname: string; exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[] };
type RuleTests = { rule_files: string[]; evaluation_interval: string; tests: { alert_rule_test?: AlertCase[]; promql_expr_test?: { expr: string }[] }[] };

const RECORDING = 'prometheus/rules/authwatch-recording.rules.yml';
const ALERTING = 'prometheus/rules/authwatch-alerts.rules.yml';
const recordingRules = readYaml<RuleFile>(RECORDING).groups.flatMap((group) => group.rules);
const alertRules = readYaml<RuleFile>(ALERTING).groups.flatMap((group) => group.rules);
const alertTests = readYaml<RuleTests>('prometheus/tests/authwatch-alerts.test.yml');
const recordingTests = readYaml<RuleTests>('prometheus/tests/authwatch-recording.test.yml');
const runbook = fs.readFileSync(path.join(PROMETHEUS_DIR, 'runbook.md'), 'utf8');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'authwatch-promtool-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function seconds(duration: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  if (!match) throw new Error(`unsupported duration ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
}

describe('promtool and amtool accept the configuration', () => {
  it('checks prometheus.yml as committed (syntax: its token file exists only where it is deployed)', () => {
    const check = runTool('promtool', ['check', 'config', '--syntax-only', 'prometheus/prometheus.yml']);
    expect(check.output).toContain('SUCCESS');
    expect(check.status).toBe(0);
  });

  it('checks prometheus.yml fully as npm run observability renders it, rule files included', () => {
    const tokenFile = path.join(scratch, 'metrics-token');
    fs.writeFileSync(tokenFile, 'scrape-token-0123456789abcdef', { mode: 0o600 });
    const rendered = renderPrometheusConfig({
      input: { authwatchUrl: new URL('http://127.0.0.1:43210'), alertmanagerAddress: '127.0.0.1:43211', tokenFile, scrapeInterval: '2s' },
    });
    const configFile = path.join(scratch, 'prometheus.yml');
    fs.writeFileSync(configFile, rendered.text);
    const check = runTool('promtool', ['check', 'config', configFile]);
    expect(check.output).toMatch(/SUCCESS: 20 rules found[\s\S]*SUCCESS: 11 rules found/);
    expect(check.status).toBe(0);

    const config = parse(rendered.text);
    const job = config.scrape_configs.find((candidate: { job_name: string }) => candidate.job_name === 'authwatch');
    expect(job.static_configs).toEqual([{ targets: ['127.0.0.1:43210'] }]);
    expect(job.metrics_path).toBe('/api/metrics');
    expect(job.authorization).toEqual({ type: 'Bearer', credentials_file: tokenFile });
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:43211']);
    expect(config.global).toMatchObject({ scrape_interval: '2s', evaluation_interval: '2s' });
    expect(config.rule_files).toEqual([path.resolve(RECORDING), path.resolve(ALERTING)]);
  });

  it('checks both rule files', () => {
    const check = runTool('promtool', ['check', 'rules', RECORDING, ALERTING]);
    expect(check.output).toMatch(/SUCCESS: 20 rules found[\s\S]*SUCCESS: 11 rules found/);
    expect(check.status).toBe(0);
  });

  it('passes every promtool rule test: each alert at and just before its `for`, each recording rule on counters', () => {
    const run = runTool('promtool', ['test', 'rules', 'prometheus/tests/authwatch-alerts.test.yml', 'prometheus/tests/authwatch-recording.test.yml']);
    expect(run.output).not.toContain('FAILED');
    expect(run.output.match(/SUCCESS/g)).toHaveLength(2);
    expect(run.status).toBe(0);
  });

  it('checks the Alertmanager configuration', () => {
    const check = runTool('amtool', ['check-config', 'prometheus/alertmanager.yml']);
    expect(check.output).toContain('SUCCESS');
    expect(check.status).toBe(0);
  });
});

describe('the rules follow the mixin conventions', () => {
  it('names every recording rule level:metric:operations, on an authwatch or process metric', () => {
    for (const rule of recordingRules) {
      expect(rule.record).toMatch(/^[a-z_]+:(authwatch|process)_[a-z_]+:[a-z0-9_]+$/);
      expect(rule.expr).not.toContain('$');
    }
  });

  it('gives every alert a known severity and summary, description and runbook_url annotations', () => {
    expect(alertRules.map((rule) => rule.alert)).toHaveLength(11);
    for (const rule of alertRules) {
      expect(rule.alert).toMatch(/^Authwatch[A-Z][A-Za-z]+$/);
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.annotations?.runbook_url).toMatch(new RegExp(`/prometheus/runbook\\.md#${rule.alert?.toLowerCase()}$`));
    }
  });

  it('has one runbook section per alert, each saying what it means, how to confirm it and what to do', () => {
    const sections = runbook.split(/^## /m).slice(1);
    expect(sections.map((section) => section.split('\n')[0].trim()).sort()).toEqual(alertRules.map((rule) => rule.alert).sort());
    for (const section of sections) {
      for (const part of ['**Means**', '**Why this threshold**', '**Confirm**', '**Do**']) expect(section).toContain(part);
    }
  });

  it('tests every alert not firing one evaluation before its `for` has run and firing at it', () => {
    const interval = seconds(alertTests.evaluation_interval);
    expect(alertTests.rule_files).toEqual(['../rules/authwatch-alerts.rules.yml']);
    const cases = alertTests.tests.flatMap((test) => test.alert_rule_test ?? []);
    for (const rule of alertRules) {
      const own = cases.filter((candidate) => candidate.alertname === rule.alert);
      const firing = own.filter((candidate) => candidate.exp_alerts.length > 0);
      expect(firing.length, `${rule.alert} has a firing case`).toBeGreaterThan(0);
      for (const fired of firing) {
        const before = own.find(
          (candidate) => candidate.exp_alerts.length === 0 && seconds(candidate.eval_time) === seconds(fired.eval_time) - interval,
        );
        expect(before, `${rule.alert} has a not-firing case one evaluation before ${fired.eval_time}`).toBeDefined();
        for (const expected of fired.exp_alerts) {
          expect(expected.exp_labels.severity).toBe(rule.labels?.severity);
          expect(expected.exp_annotations.runbook_url).toBe(rule.annotations?.runbook_url);
        }
      }
    }
  });

  it('tests every recording rule by name', () => {
    const tested = new Set(recordingTests.tests.flatMap((test) => (test.promql_expr_test ?? []).map((expr) => expr.expr.split('{')[0])));
    for (const rule of recordingRules) expect(tested.has(rule.record as string), `${rule.record} is tested`).toBe(true);
  });
});
