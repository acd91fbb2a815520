import { Writable } from 'node:stream';
import { createElement, type ReactElement } from 'react';
import { renderToPipeableStream } from 'react-dom/server';
import { AppRouterContext } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '@/lib/context';
import { EVENT_TYPE_CODES, REASON_CODES } from '@/lib/events/catalog';
import { inProcessReader } from '@/lib/store/event-reader';
import type { AlertView } from '@/lib/alerts/alert-view';
import { KPI_TYPES, overviewParts, type OverviewParts } from '@/lib/stats/overview-stats';
import { resolveTimeRange } from '@/lib/stats/time-range';
import { OverviewWidgets } from '@/app/ui/dashboard/overview-widgets';
import { HOUR, MINUTE, NOW, createTempStore, eventRecord, type TempStore } from '@/tests/helpers/temp-store';

/**
 * The overview's widgets as the server streams them (React's own streaming
 * renderer, as Next.js uses it): each widget shows a skeleton of its shape
 * until its part of the overview arrives, and a part whose query fails leaves
 * every other widget drawn.
 */
/** What was written once every part that could be drawn was (a pending part keeps the stream open), the whole stream, the errors React saw. */
type Rendered = { settled: () => Promise<string>; all: Promise<string>; errors: unknown[] };

function render(element: ReactElement): Promise<Rendered> {
  const router = { back() {}, forward() {}, refresh() {}, hmrRefresh() {}, push() {}, replace() {}, prefetch() {} };
  const tree = createElement(AppRouterContext.Provider, { value: router as never }, element);
  return new Promise((resolve, reject) => {
    const chunks: string[] = [];
    const errors: unknown[] = [];
    let finished: (html: string) => void = () => {};
    const all = new Promise<string>((done) => (finished = done));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString('utf8'));
        callback();
      },
      final(callback) {
        finished(chunks.join(''));
        callback();
      },
    });
    const stream = renderToPipeableStream(tree, {
      onShellReady() {
        stream.pipe(sink);
        const settled = () => new Promise<string>((done) => setTimeout(() => done(chunks.join('')), 100));
        resolve({ settled, all, errors });
      },
      onShellError: reject,
      onError(error) {
        errors.push(error);
      },
    });
  });
}

/** A part the store already answered, marked the way React reads a resolved promise without suspending (as Next's Flight client does). */
function answered<T>(value: T): Promise<T> {
  return Object.assign(Promise.resolve(value), { status: 'fulfilled', value });
}

async function answeredParts(parts: OverviewParts): Promise<OverviewParts> {
  const [counts, ips, usernames, clients, services, alerts] = await Promise.all([parts.counts, parts.top.ips, parts.top.usernames, parts.top.clients, parts.top.services, parts.open_alerts]);
  return {
    counts: answered(counts),
    top: { ips: answered(ips), usernames: answered(usernames), clients: answered(clients), services: answered(services) },
    open_alerts: answered(alerts),
  };
}

const RANGE = resolveTimeRange({ range: '1h' }, NOW);

function widgets(parts: OverviewParts, kiosk = false): ReactElement {
  const range = { from: new Date(RANGE.from).toISOString(), to: new Date(RANGE.to).toISOString() };
  return createElement(OverviewWidgets, { parts, live: undefined, range, retry: () => undefined, emptyHint: 'curl …', custom: false, tileCount: KPI_TYPES.length, kiosk });
}

/** `count` open alerts as the overview lists them (only what the strip draws). */
function openAlerts(count: number): AlertView[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, title: 'Brute force from one IP', severity: 'high', summary: `ip=203.0.113.${i}: 12 failed logins` }) as AlertView);
}

const chips = (html: string) => html.match(/href="\/alerts\/\d+"/g)?.length ?? 0;

const has = (html: string, testId: string) => html.includes(`data-testid="${testId}"`);

describe('the overview widgets, streamed', () => {
  let temp: TempStore;
  let ctx: Context;

  beforeEach(() => {
    temp = createTempStore();
    const serviceId = temp.store.addService('gateway', NOW - 3 * HOUR).id;
    ctx = { store: temp.store, reader: inProcessReader(temp.reader), now: NOW };
    temp.store.insertEvents(
      Array.from({ length: 4 }, (_, i) =>
        eventRecord({ id: `f${i}`, time: NOW - 10 * MINUTE, serviceId, type: EVENT_TYPE_CODES['login.failure'], reason: REASON_CODES.bad_credentials, ip: '203.0.113.77', username: 'alice', clientId: 'portal' }),
      ),
    );
  });
  afterEach(() => temp.remove());

  it('draws every widget from its part: tiles, chart panel, reasons, each top list', async () => {
    const parts = await answeredParts(overviewParts({ ctx, range: RANGE }));
    const { all, errors } = await render(widgets(parts));
    const html = await all;
    expect(html).not.toContain('<!--$!-->');
    for (const testId of ['tiles', 'kpi-Failed logins', 'series-chart', 'reasons', 'top-ip', 'top-username', 'top-client_id', 'top-service']) expect(has(html, testId), testId).toBe(true);
    expect(html).toContain('203.0.113.77');
    expect(errors).toEqual([]);
  });

  it('shows a skeleton of a widget whose part has not arrived, the others already drawn, then the widget', async () => {
    const real = await answeredParts(overviewParts({ ctx, range: RANGE }));
    let arrive: (rows: Awaited<OverviewParts['top']['ips']>) => void = () => {};
    const pending = new Promise<Awaited<OverviewParts['top']['ips']>>((resolve) => (arrive = resolve));
    const { settled, all } = await render(widgets({ ...real, top: { ...real.top, ips: pending } }));
    const shell = await settled();

    expect(has(shell, 'skeleton-top-ip')).toBe(true);
    expect(shell).toContain('aria-busy="true"');
    expect(has(shell, 'top-ip')).toBe(false);
    expect(shell).not.toContain('203.0.113.77');
    for (const testId of ['tiles', 'reasons', 'top-username', 'top-client_id', 'top-service']) expect(has(shell, testId), testId).toBe(true);

    arrive(await real.top.ips);
    const html = await all;
    expect(has(html, 'top-ip')).toBe(true);
    expect(html).toContain('203.0.113.77');
  });

  it('a part whose query fails costs only its widget: the rest of the overview is drawn', async () => {
    const real = await answeredParts(overviewParts({ ctx, range: RANGE }));
    const failed = Promise.reject(new Error('the reader thread failed this query'));
    failed.catch(() => {});
    const { all, errors } = await render(widgets({ ...real, counts: failed }));
    const html = await all;
    // The counts' three widgets (tiles, chart, reasons) are left to the client, where their error boundaries show a retry.
    expect(html.split('<!--$!-->').length - 1).toBe(3);
    for (const testId of ['skeleton-tiles', 'skeleton-series-chart', 'skeleton-reasons']) expect(has(html, testId), testId).toBe(true);
    for (const testId of ['top-ip', 'top-username', 'top-client_id', 'top-service']) expect(has(html, testId), testId).toBe(true);
    expect(html).toContain('203.0.113.77');
    expect(errors.map(String)).toContain('Error: the reader thread failed this query');
  });

  it('caps the open-alert strip with "+N more": ten on the page, three on the wall screen, none when all are shown', async () => {
    const real = await answeredParts(overviewParts({ ctx, range: RANGE }));
    const strip = async (alerts: AlertView[], total: number, kiosk: boolean) => {
      const html = await (await render(widgets({ ...real, open_alerts: answered({ alerts, total }) }, kiosk))).all;
      return { chips: chips(html), more: html.match(/data-testid="more-alerts"[^>]*>\+(?:<!-- -->)?([\d,]+)(?:<!-- -->)? more</)?.[1] ?? null, href: html.includes('href="/alerts?status=open"') };
    };
    expect(await strip(openAlerts(10), 14, false)).toEqual({ chips: 10, more: '4', href: true });
    expect(await strip(openAlerts(10), 14, true)).toEqual({ chips: 3, more: '11', href: true });
    expect(await strip(openAlerts(2), 2, true)).toEqual({ chips: 2, more: null, href: false });
    expect(await strip(openAlerts(2), 2, false)).toEqual({ chips: 2, more: null, href: false });
  });
});
