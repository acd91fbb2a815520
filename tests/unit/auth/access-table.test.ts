import { describe, expect, it } from 'vitest';
import { ACCESS, type Access } from '@/lib/auth/access';
import { pages, routeHandlers } from '@/tests/helpers/app-routes';

const table: Record<string, Access> = ACCESS;

describe('the access table', () => {
  it.each(routeHandlers().map((route) => [route.key, route]))('has an entry for %s, and the handler checks against it', (key, route) => {
    expect(table[key], `${key} is missing from lib/auth/access.ts`).toBeDefined();
    const access = table[key];
    // Member and open routes go through handleApi with their own key; ingest and metrics check their own credential.
    if (access.who === 'member' || (access.who === 'anyone' && key.startsWith('POST'))) expect(route.source).toContain(`'${key}'`);
  });

  it.each(pages().map((page) => [page.key, page]))('has an entry for %s, and the page checks against it', (key, page) => {
    expect(table[key], `${key} is missing from lib/auth/access.ts`).toBeDefined();
    if (table[key].who === 'member') expect(page.source).toContain(`requirePage('${key}')`);
    else expect(page.source).not.toContain('requirePage(');
  });

  it('gives every admin route and page to ADMIN alone, and pages only to sessions', () => {
    for (const [key, access] of Object.entries(table)) {
      if (/\/admin\/|\/api\/v1\/(users|tokens|keys|audit)/.test(key)) expect(access, key).toMatchObject({ who: 'member', role: 'ADMIN' });
      if (key.startsWith('PAGE ') && access.who === 'member') expect(access.tokens, key).toBe(false);
    }
  });
});
