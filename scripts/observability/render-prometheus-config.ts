import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';

export const PROMETHEUS_DIR = path.resolve(import.meta.dirname, '..', '..', 'prometheus');
export const PROMETHEUS_CONFIG = path.join(PROMETHEUS_DIR, 'prometheus.yml');

export type RenderPrometheusConfigInput = {
  /** The authwatch to scrape; its origin becomes the target, its scheme the scrape scheme. */
  authwatchUrl: URL;
  alertmanagerAddress: string;
  tokenFile: string;
  /** Replaces the scrape and evaluation intervals when given. */
  scrapeInterval?: string;
};

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`prometheus.yml has no ${what}`);
  return value;
}

function authwatchJobIndex(document: Document): number {
  const jobs = document.get('scrape_configs');
  if (!isSeq(jobs)) throw new Error('prometheus.yml has no scrape_configs list');
  const index = jobs.items.findIndex((job) => isMap(job) && job.get('job_name') === 'authwatch');
  return required(index >= 0 ? index : undefined, 'scrape job "authwatch"');
}

/**
 * prometheus/prometheus.yml as a local Prometheus runs it: the same jobs,
 * rules and settings, with this machine's addresses and token file, and the
 * rule files by absolute path (the rendered file lives elsewhere). Comments stay.
 */
export function renderPrometheusConfig({ input }: { input: RenderPrometheusConfigInput }): {
  text: string;
  scrapeInterval: string;
} {
  const document = parseDocument(fs.readFileSync(PROMETHEUS_CONFIG, 'utf8'));
  if (document.errors.length > 0) throw new Error(`prometheus.yml: ${document.errors[0].message}`);

  if (input.scrapeInterval) {
    document.setIn(['global', 'scrape_interval'], input.scrapeInterval);
    document.setIn(['global', 'evaluation_interval'], input.scrapeInterval);
  }
  const ruleFiles = document.get('rule_files');
  if (!isSeq(ruleFiles)) throw new Error('prometheus.yml has no rule_files list');
  ruleFiles.items.forEach((_, index) => {
    const file = String(document.getIn(['rule_files', index]));
    document.setIn(['rule_files', index], path.resolve(PROMETHEUS_DIR, file));
  });
  required(document.getIn(['alerting', 'alertmanagers', 0, 'static_configs', 0]), 'Alertmanager target');
  document.setIn(['alerting', 'alertmanagers', 0, 'static_configs', 0, 'targets'], document.createNode([input.alertmanagerAddress], { flow: true }));

  const job = ['scrape_configs', authwatchJobIndex(document)];
  required(document.getIn([...job, 'authorization', 'credentials_file']), 'credentials_file for the authwatch job');
  document.setIn([...job, 'authorization', 'credentials_file'], input.tokenFile);
  document.setIn([...job, 'scheme'], input.authwatchUrl.protocol.replace(/:$/, ''));
  document.setIn([...job, 'static_configs'], document.createNode([{ targets: [input.authwatchUrl.host] }]));

  document.commentBefore = ` Rendered by \`npm run observability\` from ${PROMETHEUS_CONFIG}; edit that file, not this one.`;
  const scrapeInterval = String(document.getIn(['global', 'scrape_interval']) ?? '1m');
  return { text: document.toString(), scrapeInterval };
}
