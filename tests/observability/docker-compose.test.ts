import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { provisionedDatasource } from '../helpers/grafana';
import { PROJECT_ROOT, readYaml } from '../helpers/observability';

/** No Docker engine runs here: the file must parse, and everything it mounts or builds from must exist. */
type Service = {
  build?: string | { context: string; dockerfile?: string };
  image?: string;
  network_mode?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  secrets?: string[];
};
type Compose = {
  services: Record<string, Service>;
  secrets: Record<string, { environment?: string; file?: string }>;
  volumes: Record<string, unknown>;
};
type StaticTargets = { static_configs: { targets: string[] }[] };
type PrometheusConfig = {
  scrape_configs: (StaticTargets & { job_name: string; authorization: { credentials_file: string } })[];
  alerting: { alertmanagers: StaticTargets[] };
};

const compose = readYaml<Compose>('docker-compose.yml');
const prometheusConfig = readYaml<PrometheusConfig>('prometheus/prometheus.yml');

function binds(service: Service): { host: string; container: string }[] {
  return (service.volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter(([source]) => source.startsWith('.'))
    .map(([host, container]) => ({ host: path.resolve(PROJECT_ROOT, host), container }));
}

/** The host file behind a path inside a container, through that container's bind mounts. */
function hostPathOf(service: Service, containerPath: string): string | undefined {
  for (const { host, container } of binds(service)) {
    if (containerPath === container) return host;
    if (containerPath.startsWith(`${container}/`)) return path.join(host, containerPath.slice(container.length + 1));
  }
  return undefined;
}

function flag(service: Service, name: string): string | undefined {
  return service.command?.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
}

describe('docker-compose.yml', () => {
  it('runs authwatch, Prometheus, Alertmanager and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'authwatch', 'grafana', 'prometheus']);
  });

  it('mounts only files and directories that exist in the repository', () => {
    const mounts = Object.values(compose.services).flatMap(binds);
    expect(mounts.length).toBeGreaterThanOrEqual(4);
    for (const { host } of mounts) expect(fs.existsSync(host), host).toBe(true);
    for (const volume of Object.values(compose.services).flatMap((service) => service.volumes ?? [])) {
      const [source] = volume.split(':');
      if (!source.startsWith('.')) expect(compose.volumes, volume).toHaveProperty(source);
    }
  });

  it('builds authwatch from a Dockerfile that exists and runs server.js', () => {
    const build = compose.services.authwatch.build;
    const context = path.resolve(PROJECT_ROOT, typeof build === 'string' ? build : (build?.context ?? '.'));
    const dockerfile = path.join(context, typeof build === 'object' && build.dockerfile ? build.dockerfile : 'Dockerfile');
    expect(fs.readFileSync(dockerfile, 'utf8')).toMatch(/^CMD \["node", "server\.js"\]$/m);
    expect(fs.readFileSync(path.join(context, '.dockerignore'), 'utf8')).toMatch(/^node_modules$/m);
  });

  it('gives Prometheus and Alertmanager config files that are mounted from prometheus/', () => {
    const prometheus = compose.services.prometheus;
    expect(hostPathOf(prometheus, flag(prometheus, 'config.file') ?? '')).toBe(path.join(PROJECT_ROOT, 'prometheus', 'prometheus.yml'));
    const alertmanager = compose.services.alertmanager;
    expect(hostPathOf(alertmanager, flag(alertmanager, 'config.file') ?? '')).toBe(path.join(PROJECT_ROOT, 'prometheus', 'alertmanager.yml'));
    expect(alertmanager.command).toContain('--cluster.listen-address=');
  });

  it('hands Prometheus the metrics token as the secret file prometheus.yml reads, from the same variable authwatch gets', () => {
    const job = prometheusConfig.scrape_configs.find((candidate) => candidate.job_name === 'authwatch');
    expect(job?.authorization.credentials_file).toBe('/run/secrets/authwatch_metrics_token');
    expect(compose.services.prometheus.secrets).toEqual(['authwatch_metrics_token']);
    expect(compose.secrets.authwatch_metrics_token).toEqual({ environment: 'AUTHWATCH_METRICS_TOKEN' });
    expect(compose.services.authwatch.environment?.AUTHWATCH_METRICS_TOKEN).toMatch(/^\$\{AUTHWATCH_METRICS_TOKEN:\?/);
  });

  it('puts every service in authwatch network namespace, where the 127.0.0.1 addresses of the config files meet', () => {
    for (const name of ['prometheus', 'alertmanager', 'grafana']) expect(compose.services[name].network_mode).toBe('service:authwatch');
    const ports = compose.services.authwatch.ports ?? [];
    const published = (port: string) => ports.includes(`127.0.0.1:${port}:${port}`);
    expect(prometheusConfig.scrape_configs[0].static_configs[0].targets).toEqual([`127.0.0.1:${compose.services.authwatch.environment?.PORT}`]);
    expect(published(flag(compose.services.prometheus, 'web.listen-address')?.split(':')[1] ?? '')).toBe(true);
    expect(new URL(provisionedDatasource().url).port).toBe(flag(compose.services.prometheus, 'web.listen-address')?.split(':')[1]);
    const alertmanagerPort = flag(compose.services.alertmanager, 'web.listen-address')?.split(':')[1];
    expect(prometheusConfig.alerting.alertmanagers[0].static_configs[0].targets).toEqual([`127.0.0.1:${alertmanagerPort}`]);
    expect(published(alertmanagerPort ?? '')).toBe(true);
    expect(published(compose.services.grafana.environment?.GF_SERVER_HTTP_PORT ?? '')).toBe(true);
    expect(ports.every((port) => port.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('sets no secret default: the token and the Grafana password must come from the environment', () => {
    expect(compose.services.grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
  });

  it('pins Prometheus to the version the rules are tested with', () => {
    const debian = /version (\d+\.\d+)\./.exec(execFileSync('prometheus', ['--version'], { encoding: 'utf8' }))?.[1];
    expect(compose.services.prometheus.image).toMatch(new RegExp(`^prom/prometheus:v${debian?.replace('.', '\\.')}\\.`));
  });
});
