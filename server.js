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
const { fastPath, loadServerSupport } = require('./server/bundles');

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || '0.0.0.0';
const shutdownTimeoutMs = Number(process.env.AUTHWATCH_SHUTDOWN_TIMEOUT_MS || 10_000);
const dev = process.argv.includes('--dev');
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Methods the app serves; anything else (TRACE, CONNECT, PROPFIND…) is answered 405 before Next.js sees it.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ALLOW = [...METHODS].join(', ');
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

/** Answers in the one JSON error shape (lib/response.ts builds it) and closes the connection. */
function refuse(res, support, code, message, headers = {}) {
  const { status, body } = support.errorBody(code, message);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * Caps open connections, overall and per TCP peer address, so a flood of slow
 * or idle connections cannot take every socket: one beyond a cap is answered
 * 503 ERR_SERVER_BUSY and closed before its request is read. Behind a trusted
 * proxy every connection comes from the proxy, so only the overall cap applies.
 * Refusals are logged at most once a minute, with their count.
 */
function capConnections(server, log, support, config) {
  const perAddress = new Map();
  let open = 0;
  let refused = 0;
  let reportedAt = 0;
  const { status, body } = support.errorBody('ERR_SERVER_BUSY', 'too many open connections; retry shortly');
  const answer = `HTTP/1.1 ${status} Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  server.on('connection', (socket) => {
    const address = socket.remoteAddress || '';
    const fromAddress = perAddress.get(address) || 0;
    if (open >= config.AUTHWATCH_MAX_CONNECTIONS || (!trustProxy && fromAddress >= config.AUTHWATCH_MAX_CONNECTIONS_PER_ADDRESS)) {
      refused += 1;
      const now = Date.now();
      if (now - reportedAt >= 60_000) {
        log.warn('connections refused: too many open', { refused, open, fromAddress });
        reportedAt = now;
        refused = 0;
      }
      socket.on('error', () => {});
      socket.end(answer);
      socket.destroySoon();
      return;
    }
    open += 1;
    perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      open -= 1;
      const left = perAddress.get(address) - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
}

/**
 * In production nothing may print a stack trace (Next.js logs a failed render
 * with console.error): each argument is reduced to its first line (an Error to
 * its name and message) and written as one JSON log line.
 */
function quietConsole(log) {
  const firstLine = (value) => String(value instanceof Error ? `${value.name}: ${value.message}` : value).split('\n')[0].slice(0, 500);
  // eslint-disable-next-line no-console -- replacing console.error is the point
  console.error = (...args) => log.error('server error', { detail: args.map(firstLine).join(' ') });
  // eslint-disable-next-line no-console -- as above
  console.warn = (...args) => log.warn('server warning', { detail: args.map(firstLine).join(' ') });
}

async function main(log, support) {
  const config = support.getCore().config;
  if (!dev) quietConsole(log);
  const app = next({ dev, dir: __dirname, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const serveFast = fastPath(support);

  let stopping = false;
  const inFlight = new Set();
  // Node checks header and request timeouts every connectionsCheckingInterval (30 s by default): check every second.
  const server = http.createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
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
      // A failing store (503/507) is logged once by the writer (lib/store/store-condition.ts), not per request.
      log[res.statusCode === 500 ? 'error' : res.statusCode > 500 ? 'warn' : 'info']('request', {
        requestId,
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        aborted: !res.writableFinished || undefined,
      });
    });
    if (!METHODS.has(req.method)) return refuse(res, support, 'ERR_METHOD_NOT_ALLOWED', `the method is not allowed; use one of ${ALLOW}`, { allow: ALLOW });
    // Only origin-form targets ("/path?query"): not "*" (OPTIONS *, GET *), nor an absolute URL.
    if (!req.url.startsWith('/') || req.url.startsWith('//')) return refuse(res, support, 'ERR_INVALID_INPUT', 'the request target must be a path starting with /');
    serveFast(req, res, route).then((done) => (done ? undefined : handle(req, res))).catch((error) => {
      log.error('unhandled request error', { requestId, error: String(error && error.name) });
      if (!res.headersSent) refuse(res, support, 'ERR_INTERNAL', 'internal error');
    });
  });
  // A slow client gets a few seconds for its headers and a bounded time for the whole request (slow-client floods).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = config.AUTHWATCH_HEADERS_TIMEOUT_MS;
  server.requestTimeout = Math.max(config.AUTHWATCH_REQUEST_TIMEOUT_MS, config.AUTHWATCH_HEADERS_TIMEOUT_MS);
  capConnections(server, log, support, config);

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
