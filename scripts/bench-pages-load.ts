/** The overview page in Debian's Chromium: navigation start → every widget drawn, over repeated loads. */
import { chromium, type BrowserContext } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../tests/helpers/chromium';
import { percentile } from './bench-http';

const WARM_UP_LOADS = 2;
const LOAD_TIMEOUT_MS = 60_000;

export type PageLoads = { path: string; loads: number; failed: number; p50Ms: number; p95Ms: number; maxMs: number; ttfbP50Ms: number; ttfbP95Ms: number };

/**
 * In the page: the time (ms since navigation start) at which no widget is
 * loading any more, the tiles and every top list are in the document and the
 * chart has drawn its surface; false until then; 'failed' when a widget shows
 * its error instead.
 */
function allWidgetsDrawn(): number | 'failed' | false {
  if (document.querySelector('[data-testid^="failed-"]')) return 'failed';
  if (document.querySelector('[aria-busy="true"]')) return false;
  if (!document.querySelector('[data-testid="tiles"]')) return false;
  if (!document.querySelector('[data-testid="series-chart"] .recharts-surface')) return false;
  const panels = ['reasons', 'top-ip', 'top-username', 'top-client_id', 'top-service'];
  if (!panels.every((id) => document.querySelector(`section[aria-labelledby="${id}"]`))) return false;
  return performance.now();
}

/** One load: its time to every widget drawn and to first byte; null when a widget failed or nothing was drawn within 60 s. */
async function loadOnce(context: BrowserContext, url: string): Promise<{ ms: number; ttfb: number } | null> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
    const handle = await page.waitForFunction(allWidgetsDrawn, undefined, { polling: 'raf', timeout: LOAD_TIMEOUT_MS });
    const drawn = (await handle.jsonValue()) as number | 'failed';
    if (drawn === 'failed') return null;
    const ttfb = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseStart);
    return { ms: drawn, ttfb };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return null;
    throw error;
  } finally {
    await page.close();
  }
}

/** `loads` measured loads of each path (after two unmeasured ones), signed in with `cookie`, in a 1920×1080 window. */
export async function measurePageLoads(base: string, cookie: { name: string; value: string }, paths: readonly string[], loads: number): Promise<PageLoads[]> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addCookies([{ ...cookie, url: base }]);
    const results: PageLoads[] = [];
    for (const path of paths) {
      for (let i = 0; i < WARM_UP_LOADS; i++) await loadOnce(context, `${base}${path}`);
      const times: number[] = [];
      const ttfbs: number[] = [];
      let failed = 0;
      for (let i = 0; i < loads; i++) {
        const result = await loadOnce(context, `${base}${path}`);
        if (!result) failed++;
        else {
          times.push(result.ms);
          ttfbs.push(result.ttfb);
        }
      }
      times.sort((a, b) => a - b);
      ttfbs.sort((a, b) => a - b);
      results.push({
        path,
        loads,
        failed,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        maxMs: times.at(-1) ?? NaN,
        ttfbP50Ms: percentile(ttfbs, 50),
        ttfbP95Ms: percentile(ttfbs, 95),
      });
    }
    return results;
  } finally {
    await browser.close();
  }
}
