#!/usr/bin/env node
/**
 * authwatch's HTTP server: Next.js behind a plain Node server, for what
 * `next start` does not give: one JSON access-log line per request (request id,
 * route, status, duration; never headers or bodies) and a graceful shutdown that
 * stops accepting, lets in-flight requests finish, then closes the database.
 */
// V8's memory reducer runs full mark-compact collections in a thread whose
// allocation rate drops, pausing it (README, "Server layout"), and each request
// waiting for that thread waits too. Set before any thread starts, so every
// isolate has it.
require('node:v8').setFlagsFromString('--no-memory-reducer');
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const next = require('next');
const { ingestFastPath, loadServerSupport } = require('./server/bundles');

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || '0.0.0.0';
const shutdownTimeoutMs = Number(process.env.AUTHWATCH_SHUTDOWN_TIMEOUT_MS || 10_000);
const dev = process.argv.includes('--dev');
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const trustProxy = ['true', '1'].includes(process.env.AUTHWATCH_TRUST_PROXY || '');

/**
 * Before any handler: the security headers of every response, the ingest fast
 * path's included (lib/http/security-headers.ts has the same values; proxy.ts
 * sets them again for Next.js, with a page's nonce CSP), and the TCP peer in
 * x-authwatch-peer, overwriting whatever a client sent, since Next.js gives
 * route handlers no socket and keeps a client's X-Forwarded-For.
 */
function secureRequest(req, res) {
  req.headers['x-authwatch-peer'] = req.socket.remoteAddress || '';
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  res.setHeader('content-security-policy', "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  const proto = String(req.headers['x-forwarded-proto'] || '').split(',')[0].trim().toLowerCase();
  if (trustProxy && proto === 'https') res.setHeader('strict-transport-security', 'max-age=31536000');
}

async function main(log, support) {
  const app = next({ dev, dir: __dirname, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const serveIngest = ingestFastPath(support.handleIngestRequest);

  let stopping = false;
  const inFlight = new Set();
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    secureRequest(req, res);
    // Once stopping, no response may invite the client to reuse its connection.
    if (stopping) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    const offered = req.headers['x-request-id'];
    const requestId = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    // The WHATWG parser percent-encodes control and bidi characters, so the route is safe to log.
    const route = new URL(req.url || '/', 'http://authwatch.invalid').pathname;
    res.on('close', () => {
      log[res.statusCode >= 500 ? 'error' : 'info']('request', {
        requestId,
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        aborted: !res.writableFinished || undefined,
      });
    });
    serveIngest(req, res, route).then((done) => (done ? undefined : handle(req, res))).catch((error) => {
      log.error('unhandled request error', { requestId, error: String(error && error.name) });
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: { code: 'ERR_INTERNAL', message: 'internal error' } }));
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;

  async function shutdown(signal) {
    if (stopping) return;
    stopping = true;
    log.lifecycle('shutting down', { signal });
    const force = setTimeout(() => {
      log.warn('shutdown timeout: closing remaining connections', {});
      server.closeAllConnections();
    }, shutdownTimeoutMs);
    force.unref();
    // Responses still to be sent close their connection behind them, so no keep-alive socket
    // outlives its last response; sockets already idle are closed now.
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeIdleConnections();
    });
    clearTimeout(force);
    const failed = await support.getCore().shutdown();
    for (const name of failed) log.error('shutdown hook failed', { hook: name });
    log.lifecycle('stopped', {});
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  server.listen(port, hostname, () => {
    log.lifecycle('listening', { url: `http://${hostname}:${server.address().port}`, pid: process.pid, dev });
  });
}

let support;
try {
  support = loadServerSupport();
} catch (error) {
  process.stderr.write(`authwatch: cannot start: ${error.message}\n`);
  process.exit(1);
}
main(support.log, support).catch((error) => {
  support.log.error('failed to start', { error: String(error && error.message) });
  process.exit(1);
});
