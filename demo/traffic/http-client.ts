import http from 'node:http';
import https from 'node:https';
import type { Identity } from '../pki/certificates';

/**
 * The traffic generator's HTTP client. Each simulated person, service or
 * attacker sends from its own loopback address (127.x.y.z, all on `lo`), so
 * the components see real, distinct source IPs without trusting any header.
 */
export type CallOptions = {
  from: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Trust this CA for the server; without it the caller does not check the server (an attacker's tool). */
  ca?: string;
  /** Client certificate to present (mTLS). */
  identity?: Identity;
  signal?: AbortSignal;
};
/** Status 0: no HTTP answer (connection refused, reset, timed out). */
export type Reply = { status: number; body: string };

const agents = new Map<string, http.Agent>();

function agentFor(url: URL, options: CallOptions): http.Agent {
  const key = `${url.protocol}|${options.from}|${options.identity?.fingerprint ?? '-'}|${options.ca ? 'ca' : 'insecure'}`;
  let agent = agents.get(key);
  if (!agent) {
    const common = { keepAlive: true, maxSockets: 10, localAddress: options.from };
    agent =
      url.protocol === 'https:'
        ? new https.Agent({ ...common, ca: options.ca, rejectUnauthorized: options.ca !== undefined, cert: options.identity?.cert, key: options.identity?.key })
        : new http.Agent(common);
    agents.set(key, agent);
  }
  return agent;
}

export function call(target: string, options: CallOptions): Promise<Reply> {
  const url = new URL(target);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = transport.request(
      url,
      { method: options.method ?? 'GET', headers: { 'user-agent': 'demo-traffic/1.0', ...options.headers }, agent: agentFor(url, options), timeout: 10_000, signal: options.signal },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve({ status: 0, body: '' }));
    request.end(options.body);
  });
}

export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
