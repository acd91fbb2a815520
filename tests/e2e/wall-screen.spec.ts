import { expect, test, type Browser, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../helpers/server';
import { watchCspViolations } from './csp-watch';
import { addPerson, ingest, ingestKey, signInAs } from './dashboard-helpers';

/**
 * The overview on a wall (kiosk, 1920×1080) and a laptop (1366×768), in the
 * dark and the light theme the system asks for: nothing overflows sideways,
 * every widget is drawn and on screen, key text keeps WCAG AA contrast, and a
 * screenshot of each lands under test-results/screens/. Then the chart's text
 * alternative and its keyboard controls.
 */
const VIEWER = { email: 'wall@example.com', password: 'granite-meadow-copper-57' };
const WIDGETS = ['tiles', 'series-chart', 'reasons', 'top-ip', 'top-username', 'top-client_id', 'top-service'];

let server: RunningServer;
let storageState: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>;

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  addPerson(server.dbFile, VIEWER.email, 'USER', VIEWER.password);
  const key = ingestKey(server.dbFile, 'gateway');
  const now = Date.now();
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  const events: object[] = [];
  for (let i = 0; i < 40; i++) events.push({ id: `f${i}`, time: at(60 + i * 30), type: 'login.failure', reason: 'bad_credentials', source: { ip: `203.0.113.${i % 7}` }, actor: { username: `user-with-a-rather-long-name-${i % 5}@example.com`, client_id: 'web-portal' } });
  for (let i = 0; i < 9; i++) events.push({ id: `t${i}`, time: at(90 + i * 200), type: 'token.rejected', reason: i % 2 ? 'expired' : 'bad_signature', source: { ip: '198.51.100.4' }, actor: { client_id: 'mobile-app' } });
  for (let i = 0; i < 30; i++) events.push({ id: `g${i}`, time: at(30 + i * 100), type: 'access.granted', source: { ip: '192.0.2.10' }, actor: { username: 'carol' } });
  await ingest(server.url, key, events);
  const context = await browser.newContext();
  await signInAs(await context.newPage(), server.url, VIEWER.email, VIEWER.password);
  storageState = await context.storageState();
  await context.close();
});
test.afterAll(async () => server?.dispose());

async function open(browser: Browser, viewport: { width: number; height: number }, colorScheme: 'dark' | 'light', path: string): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme, storageState });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

/** Every widget drawn: no skeleton left, each widget's element present and visible, the chart's bars painted. */
async function expectDrawn(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  for (const widget of WIDGETS) await expect(page.getByTestId(widget), widget).toBeVisible();
  await expect(page.getByTestId('series-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.locator('[data-testid^="failed-"]')).toHaveCount(0);
}

/** WCAG contrast of each element's text against the first opaque background behind it (the page's own colours). */
async function contrasts(page: Page, selectors: string[]): Promise<Array<{ selector: string; ratio: number }>> {
  return page.evaluate((list) => {
    const rgb = (text: string) => (text.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element: Element | null): number[] => {
      for (let node = element; node; node = node.parentElement) {
        const colour = rgb(getComputedStyle(node).backgroundColor);
        if (colour.length >= 3 && (colour[3] ?? 1) === 1) return colour;
      }
      return rgb(getComputedStyle(document.documentElement).backgroundColor);
    };
    return list.map((selector) => {
      const element = document.querySelector(selector);
      if (!element) return { selector, ratio: 0 };
      const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))];
      return { selector, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
    });
  }, selectors);
}

const KEY_TEXT = [
  'h1',
  '[data-testid="kpi-Failed logins"] [data-testid="kpi-value"]',
  '[data-testid="kpi-Failed logins"] p:first-child span',
  '[data-testid="kpi-Failed logins"] p:nth-child(3)',
  '[data-testid="reasons"] td',
  '[data-testid="top-ip"] td.number',
  '[data-testid="top-ip"] th',
  '[data-testid="top-ip"] td a',
];

for (const [name, viewport, kiosk] of [
  ['wall', { width: 1920, height: 1080 }, true],
  ['laptop', { width: 1366, height: 768 }, false],
] as const) {
  for (const scheme of ['dark', 'light'] as const) {
    test(`${name} ${viewport.width}×${viewport.height}, ${scheme}: every widget drawn, nothing overflows, key text readable`, async ({ browser }) => {
      const page = await open(browser, viewport, scheme, `/?range=1h${kiosk ? '&kiosk=1' : ''}`);
      const violations = watchCspViolations(page);
      await expectDrawn(page);
      if (kiosk) await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();

      const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(width.scroll, 'no horizontal scroll').toBeLessThanOrEqual(width.client);
      for (const widget of WIDGETS) {
        const box = await page.getByTestId(widget).boundingBox();
        expect(box, widget).not.toBeNull();
        expect(box!.x, widget).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, widget).toBeLessThanOrEqual(viewport.width);
      }
      // Nor inside a panel: a long username truncates in its cell instead of widening its table past the panel.
      const overflowing = await page.evaluate(() =>
        [...document.querySelectorAll('main section, main figure, main [data-testid="tiles"] > div')]
          .filter((element) => element.scrollWidth > element.clientWidth + 1)
          .map((element) => element.getAttribute('aria-labelledby') ?? element.getAttribute('data-testid') ?? element.tagName),
      );
      expect(overflowing).toEqual([]);
      // The theme followed the system setting: a dark page in dark mode, a light one in light mode.
      const page_ = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      const [r, g, b] = (page_.match(/\d+/g) ?? []).map(Number);
      expect((r + g + b) / 3, `page background ${page_}`)[scheme === 'dark' ? 'toBeLessThan' : 'toBeGreaterThan'](scheme === 'dark' ? 60 : 200);
      for (const { selector, ratio } of await contrasts(page, KEY_TEXT)) expect(ratio, `${selector} contrast`).toBeGreaterThanOrEqual(4.5);
      if (kiosk) {
        // Reads at 3 m: the tile figures are large on the wall.
        const size = await page.getByTestId('kpi-Failed logins').getByTestId('kpi-value').evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
        expect(size).toBeGreaterThanOrEqual(48);
      }
      await page.screenshot({ path: `test-results/screens/wall-${name}-${viewport.width}x${viewport.height}-${scheme}.png`, fullPage: true });
      expect(violations).toEqual([]);
      await page.context().close();
    });
  }
}

test('the chart has a name, a text equivalent and keyboard controls: hide a series, read the table, open a bucket', async ({ browser }) => {
  const page = await open(browser, { width: 1366, height: 768 }, 'light', '/?range=1h');
  await expectDrawn(page);
  const chart = page.getByRole('group', { name: /^Events by type/ });
  await expect(chart).toBeVisible();
  // The description: the total and the count per type, as text.
  await expect(chart).toHaveAccessibleDescription(/^\d+ events over \d+ minutes; the busiest minute began .* By type: .*login\.failure 40, token\.rejected 9, access\.granted 30\.$/);

  // The legend is buttons: reach one by keyboard and hide its series.
  const failures = page.getByRole('button', { name: 'login.failure', exact: true });
  const bars = page.getByTestId('series-chart').locator('.recharts-bar-rectangle');
  const before = await bars.count();
  await failures.focus();
  await page.keyboard.press('Space');
  await expect(failures).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => bars.count()).toBeLessThan(before);
  await page.keyboard.press('Enter');
  await expect(failures).toHaveAttribute('aria-pressed', 'true');

  // The table behind the chart, opened and followed by keyboard only.
  const summary = page.getByTestId('series-chart-panel').getByText('Show the data as a table');
  await summary.focus();
  await page.keyboard.press('Enter');
  const table = page.getByRole('table', { name: 'Events by type' });
  await expect(table).toBeVisible();
  const busiest = table.getByRole('row').filter({ has: page.locator('td.number', { hasNotText: /^0$/ }) }).first();
  const total = Number(await busiest.locator('td').last().innerText());
  expect(total).toBeGreaterThan(0);
  await busiest.getByRole('link').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/events\?from=[^&]+&to=[^&]+$/);
  await expect(page.getByTestId('events').locator('tbody tr')).toHaveCount(total);
  await page.context().close();
});

test('many open alerts: the wall screen still fits 1920×1080 (three alerts, then "+N more"); /alerts shows its status tabs above its filters', async ({ browser }) => {
  // Twelve addresses each fail ten logins against their own username within two minutes: twelve brute_force_ip alerts at least.
  const key = ingestKey(server.dbFile, 'edge');
  const now = Date.now();
  const events = Array.from({ length: 120 }, (_, i) => ({
    id: `bf${i}`,
    time: new Date(now - 120_000 + i * 500).toISOString(),
    type: 'login.failure',
    reason: 'bad_credentials',
    source: { ip: `198.18.0.${Math.floor(i / 10) + 1}` },
    actor: { username: `target-${Math.floor(i / 10)}` },
  }));
  await ingest(server.url, key, events);
  const page = await open(browser, { width: 1920, height: 1080 }, 'dark', '/?range=1h&kiosk=1');
  const openCount = async () => ((await (await page.request.get(`${server.url}/api/v1/alerts?status=open&limit=100`)).json()) as { alerts: unknown[] }).alerts.length;
  await expect.poll(openCount, { timeout: 30_000 }).toBeGreaterThanOrEqual(12);
  const total = await openCount();

  await page.reload();
  await expectDrawn(page);
  const strip = page.getByRole('navigation', { name: 'Open alerts' });
  await expect(strip.locator('a[href^="/alerts/"]')).toHaveCount(3);
  const more = page.getByTestId('more-alerts');
  await expect(more).toHaveText(`+${total - 3} more`);
  await expect(more).toHaveAttribute('href', '/alerts?status=open');
  const chip = await strip.locator('a').first().boundingBox();
  expect((await strip.boundingBox())!.height, 'one line of alerts').toBeLessThan(chip!.height * 1.5);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height, 'no vertical scroll on the wall').toBeLessThanOrEqual(1080);
  await page.screenshot({ path: 'test-results/screens/wall-many-alerts-1920x1080.png' });

  // The alerts page: title, then the status tabs with their counts, then the filter form, then the list.
  await page.goto(`${server.url}/alerts`);
  const tabs = page.getByRole('navigation', { name: 'Status' });
  await expect(tabs.getByRole('link', { name: `open (${total})` })).toBeVisible();
  const [title, tabBox, filter, list] = await Promise.all([
    page.getByRole('heading', { name: 'Alerts', level: 1 }).boundingBox(),
    tabs.boundingBox(),
    page.getByRole('button', { name: 'Filter' }).boundingBox(),
    page.getByTestId('alerts').boundingBox(),
  ]);
  expect(title!.y).toBeLessThan(tabBox!.y);
  expect(tabBox!.y + tabBox!.height).toBeLessThanOrEqual(filter!.y);
  expect(filter!.y + filter!.height).toBeLessThanOrEqual(list!.y);
  await page.context().close();
});
