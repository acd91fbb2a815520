import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digest } from '@/lib/auth/secret-tokens';
import { HOUR, MINUTE, NOW, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

describe('the account tables', () => {
  let temp: TempStore;
  const accounts = () => temp.store.accounts;
  const alice = () =>
    accounts().insertUser({ email: 'alice@example.com', role: 'ADMIN', status: 'active', passwordHash: '$scrypt$x', createdAt: NOW, updatedAt: NOW });

  beforeEach(() => {
    temp = createTempStore();
  });
  afterEach(() => temp.remove());

  it('keeps the audit log append-only: UPDATE and DELETE are refused by the database itself', () => {
    const entry = accounts().appendAudit({
      time: NOW,
      actorKind: 'cli',
      actorId: 'root',
      actorLabel: 'cli:root',
      action: 'service.added',
      target: 'gateway',
      ip: null,
      detail: null,
    });
    const db = new Database(temp.file);
    try {
      expect(() => db.prepare('UPDATE audit_log SET target = ? WHERE id = ?').run('forged', entry.id)).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    expect(accounts().listAudit({ limit: 10 })).toEqual([entry]);
  });

  it('finds a session with its user by the token digest, and ends every session of a user', () => {
    const user = alice();
    const times = { createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + HOUR, ip: '192.0.2.1', userAgent: 'test' };
    accounts().insertSession({ tokenHash: digest('one'), userId: user.id, ...times });
    accounts().insertSession({ tokenHash: digest('two'), userId: user.id, ...times });
    expect(accounts().findSession(digest('one'))).toEqual({ session: { tokenHash: digest('one'), userId: user.id, ...times }, user });
    expect(accounts().findSession(digest('three'))).toBeUndefined();
    expect(accounts().deleteUserSessions(user.id)).toBe(2);
    expect(accounts().findSession(digest('two'))).toBeUndefined();
  });

  it('deletes sessions past their absolute end or idle too long, and keeps the rest', () => {
    const user = alice();
    const insert = (name: string, lastSeenAt: number, expiresAt: number) =>
      accounts().insertSession({ tokenHash: digest(name), userId: user.id, createdAt: NOW - HOUR, lastSeenAt, expiresAt, ip: null, userAgent: null });
    insert('fresh', NOW, NOW + HOUR);
    insert('idle', NOW - 13 * HOUR, NOW + HOUR);
    insert('over', NOW, NOW);
    expect(accounts().deleteExpiredSessions(NOW, 12 * HOUR)).toBe(2);
    expect(accounts().findSession(digest('fresh'))).toBeDefined();
  });

  it('lets a setup link be used once', () => {
    const user = alice();
    accounts().insertSetupLink({ tokenHash: digest('link'), purpose: 'reset', userId: user.id, createdAt: NOW, expiresAt: NOW + HOUR });
    expect(accounts().useSetupLink(digest('link'), NOW + MINUTE)).toBe(true);
    expect(accounts().useSetupLink(digest('link'), NOW + 2 * MINUTE)).toBe(false);
    expect(accounts().findSetupLink(digest('link'))).toMatchObject({ usedAt: NOW + MINUTE });
  });

  it('never moves an ingest key’s last use back, and ignores keys that do not exist', () => {
    const service = temp.store.addService('gateway', NOW);
    temp.store.insertIngestKey({ id: 'aaaaaaaaaaaa', serviceId: service.id, secretHash: digest('k'), createdAt: NOW, expiresAt: null });
    accounts().recordIngestKeyUses(new Map([['aaaaaaaaaaaa', NOW + 2 * MINUTE], ['bbbbbbbbbbbb', NOW]]));
    accounts().recordIngestKeyUses(new Map([['aaaaaaaaaaaa', NOW + MINUTE]]));
    expect(accounts().ingestKeyLastUses()).toEqual(new Map([['aaaaaaaaaaaa', NOW + 2 * MINUTE]]));
  });

  it('brings an ingest key’s expiry forward, never back', () => {
    const service = temp.store.addService('gateway', NOW);
    temp.store.insertIngestKey({ id: 'aaaaaaaaaaaa', serviceId: service.id, secretHash: digest('k'), createdAt: NOW, expiresAt: null });
    temp.store.insertIngestKey({ id: 'cccccccccccc', serviceId: service.id, secretHash: digest('c'), createdAt: NOW, expiresAt: NOW + MINUTE });
    accounts().expireIngestKeyBy('aaaaaaaaaaaa', NOW + HOUR);
    accounts().expireIngestKeyBy('cccccccccccc', NOW + HOUR);
    expect(temp.store.findIngestKey('aaaaaaaaaaaa')?.expiresAt).toBe(NOW + HOUR);
    expect(temp.store.findIngestKey('cccccccccccc')?.expiresAt).toBe(NOW + MINUTE);
  });

  it('filters the audit log and pages through it newest first', () => {
    for (let i = 0; i < 5; i += 1) {
      accounts().appendAudit({
        time: NOW + i,
        actorKind: 'user',
        actorId: '1',
        actorLabel: i % 2 === 0 ? 'alice@example.com' : 'bob@example.com',
        action: 'user.invited',
        target: `u${i}@example.com`,
        ip: '192.0.2.1',
        detail: null,
      });
    }
    const page = accounts().listAudit({ actor: 'alice@example.com', limit: 2 });
    expect(page.map((entry) => entry.target)).toEqual(['u4@example.com', 'u2@example.com']);
    expect(accounts().listAudit({ actor: 'alice@example.com', beforeId: page[1].id, limit: 2 }).map((e) => e.target)).toEqual(['u0@example.com']);
    expect(accounts().listAudit({ since: NOW + 3, limit: 10 })).toHaveLength(2);
  });

  it('undoes a whole transaction when its work fails', () => {
    expect(() =>
      accounts().transaction(() => {
        alice();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(accounts().countUsers()).toBe(0);
  });
});
