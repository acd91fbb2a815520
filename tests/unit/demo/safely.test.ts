import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { safely } from '@/demo/http/respond';

describe('safely', () => {
  it('lets a stopping server wait for the handlers still running, so none reports after its reporter closed', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const listener = safely(async (_request, response) => {
      order.push('started');
      await gate;
      order.push('reported');
      response.end();
    });
    const server = http.createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const request = http.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).on('error', () => {});
    while (!order.includes('started')) await new Promise((resolve) => setTimeout(resolve, 5));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    setTimeout(release, 50);
    await listener.settled();
    order.push('stopped');
    request.destroy();
    expect(order).toEqual(['started', 'reported', 'stopped']);
  });

  it('gives up waiting after the timeout', async () => {
    const listener = safely(() => new Promise<void>(() => {}));
    listener({} as http.IncomingMessage, {} as http.ServerResponse);
    const started = Date.now();
    await listener.settled(30);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
