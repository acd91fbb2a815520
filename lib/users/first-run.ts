import { getConfig } from '../config';
import type { Context } from '../context';
import { recordChange } from '../audit/record-change';
import { log } from '../log';
import { issueSetupLink, setupLinkUrl } from './setup-links';

/**
 * Where people reach authwatch: AUTHWATCH_PUBLIC_URL, or this machine's port.
 * The CLI and the start-up log build setup links on it; a page builds them on
 * the address it was opened at.
 */
export function defaultBaseUrl(): string {
  const configured = getConfig().AUTHWATCH_PUBLIC_URL;
  if (configured) return configured;
  const host = process.env.HOSTNAME && !['0.0.0.0', '::'].includes(process.env.HOSTNAME) ? process.env.HOSTNAME : 'localhost';
  return `http://${host}:${process.env.PORT || 3000}`;
}

/**
 * No default password, ever: while no user exists, each start logs a fresh
 * one-time link (24 h) that creates the first ADMIN, replacing the last one.
 * The one secret authwatch ever logs, on purpose: whoever reads the first
 * start's log is the operator installing it.
 */
export function announceFirstRun(ctx: Context): void {
  if (ctx.store.accounts.countUsers() > 0) return;
  const token = recordChange(
    ctx,
    { kind: 'system' },
    () => issueSetupLink(ctx, 'first_admin', null),
    () => ({ action: 'first_admin_link.issued', target: 'first ADMIN' }),
  );
  log.warn('no user exists yet: open this one-time link within 24 hours to create the first ADMIN', {
    setupLink: setupLinkUrl(defaultBaseUrl(), token),
  });
}
