import { describe, expect, it } from 'vitest';
import { checkSameOrigin } from '@/lib/auth/authorize-request';
import { requestMeta, safeReturnPath, throttleAddress, type RequestMeta } from '@/lib/http/request-meta';

const headers = (values: Record<string, string>) => new Headers(values);
const untrusted = { AUTHWATCH_TRUST_PROXY: false };
const trusted = { AUTHWATCH_TRUST_PROXY: true };

describe('what a request says about itself', () => {
  const forged = { 'x-authwatch-peer': '127.0.0.1', 'x-forwarded-for': '203.0.113.9, 198.51.100.1', 'x-forwarded-proto': 'https', host: 'aw.example', 'x-forwarded-host': 'evil.example' };

  it('believes only the peer server.js saw, and plain HTTP, unless a proxy is trusted', () => {
    expect(requestMeta(headers(forged), untrusted)).toMatchObject({ ip: '127.0.0.1', scheme: 'http', origin: 'http://aw.example' });
  });

  it('behind a trusted proxy, takes the address it appended (the last), its scheme and host', () => {
    expect(requestMeta(headers(forged), trusted)).toMatchObject({ ip: '198.51.100.1', scheme: 'https', origin: 'https://evil.example' });
  });

  it('expects AUTHWATCH_PUBLIC_URL as the origin when it is set', () => {
    expect(requestMeta(headers(forged), { ...untrusted, AUTHWATCH_PUBLIC_URL: 'https://authwatch.example' }).origin).toBe('https://authwatch.example');
  });

  it('writes IPv4-mapped IPv6 as IPv4 and counts an IPv6 client by its /64', () => {
    expect(requestMeta(headers({ 'x-authwatch-peer': '::ffff:192.0.2.1' }), untrusted).ip).toBe('192.0.2.1');
    expect(requestMeta(headers({ 'x-authwatch-peer': 'not an address' }), untrusted).ip).toBeNull();
    expect(throttleAddress('2001:db8:1:2:aaaa::1')).toBe(throttleAddress('2001:db8:1:2:ffff::9'));
    expect(throttleAddress('2001:db8:1:2::1')).not.toBe(throttleAddress('2001:db8:1:3::1'));
    expect(throttleAddress('192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('the same-origin check', () => {
  const meta: RequestMeta = { ip: null, scheme: 'http', origin: 'http://aw.example', userAgent: null };
  const refused = (method: string, values: Record<string, string>) => {
    try {
      checkSameOrigin(method, headers(values), meta);
      return false;
    } catch (error) {
      return (error as { code: string }).code === 'ERR_CROSS_ORIGIN';
    }
  };

  it.each([
    [{ origin: 'http://aw.example' }, false],
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ origin: 'null' }, true],
    [{ origin: 'http://evil.example' }, true],
    [{ origin: 'https://aw.example' }, true],
    [{}, true],
    [{ 'sec-fetch-site': 'same-site' }, true],
    [{ origin: 'http://aw.example', 'sec-fetch-site': 'cross-site' }, true],
  ])('for a POST with %j refuses: %s', (values, expected) => {
    expect(refused('POST', values)).toBe(expected);
  });

  it('lets reads through whatever their origin', () => {
    expect(refused('GET', { origin: 'http://evil.example' })).toBe(false);
  });
});

describe('the page to return to after signing in', () => {
  it.each([
    ['/admin/users?x=1', '/admin/users?x=1'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/ok path', '/'],
    [null, '/'],
  ])('%j → %j', (candidate, expected) => {
    expect(safeReturnPath(candidate)).toBe(expected);
  });
});
