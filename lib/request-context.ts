import 'server-only';
import type { Context } from './context';
import { getEventWriter, getStore } from './store';

export function requestContext(): Context {
  return { store: getStore(), now: Date.now(), writer: getEventWriter() };
}
