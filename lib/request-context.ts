import 'server-only';
import type { Context } from './context';
import { getCore } from './core';

/** What a request's verbs act with: the process's core (lib/core.ts) and the time the request is served at. */
export function requestContext(): Context {
  const core = getCore();
  return { store: core.store, reader: core.reader, writer: core.writer, now: Date.now() };
}
