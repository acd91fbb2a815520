import { describe, expect, it } from 'vitest';
import { toDetectionEvent } from '@/lib/detection/detection-event';
import { prepareEvents } from '@/lib/ingest/prepare-events';
import { fromEventRow } from '@/lib/store/event-row';
import type { StoredEvent } from '@/lib/store/store';
import { T0 } from '../../helpers/detection';

/** Stores an event the way ingest does (parse, validate, redact, code), then reads it back as the store would. */
function stored(event: Record<string, unknown>, sequence = 41): StoredEvent {
  const text = JSON.stringify(event);
  const body = { mediaType: 'json' as const, text, bytes: Buffer.byteLength(text) };
  const { rows, rejected } = prepareEvents({ body, service: { id: 3, name: 'payments' }, now: T0, retentionDays: 30, idKey: Buffer.alloc(32, 7) });
  expect(rejected.listed).toEqual([]);
  return { ...fromEventRow(rows[0]), sequence };
}

describe('toDetectionEvent', () => {
  it('reads the columns, the integer codes by name, and the token, scheme and mTLS fields of the document', () => {
    const event = toDetectionEvent(
      stored({
        id: 'evt-1',
        time: '2025-03-10T11:59:00Z',
        type: 'token.rejected',
        reason: 'unknown_kid',
        source: { ip: '203.0.113.7' },
        actor: { subject: 'user-42', username: 'ops@example.com', client_id: 'web' },
        token: { jti: 'jti-1', kid: 'key-2025', alg: 'RS256', issued_at: 1_741_607_000, expires_at: '2025-03-10T12:30:00Z' },
        tls: { client_subject: 'CN=orders' },
        scheme: 'http',
      }),
    );
    expect(event).toEqual({
      seq: 41,
      id: 'evt-1',
      time: Date.parse('2025-03-10T11:59:00Z'),
      receivedAt: T0,
      service: 'payments',
      type: 'token.rejected',
      reason: 'unknown_kid',
      ip: '203.0.113.7',
      username: 'ops@example.com',
      subject: 'user-42',
      clientId: 'web',
      jti: 'jti-1',
      tokenKid: 'key-2025',
      tokenAlg: 'RS256',
      tokenIssuedAt: 1_741_607_000_000,
      tokenExpiresAt: Date.parse('2025-03-10T12:30:00Z'),
      scheme: 'http',
      tlsSubject: 'CN=orders',
    });
  });

  it('leaves what the event does not carry as null', () => {
    const event = toDetectionEvent(stored({ id: 'evt-2', time: '2025-03-10T11:59:00Z', type: 'login.success' }));
    expect(event).toMatchObject({ reason: null, ip: null, username: null, jti: null, tokenKid: null, tokenIssuedAt: null, scheme: null, tlsSubject: null });
  });

  it('passes over a row whose type code it does not know, and survives a damaged document', () => {
    const row = stored({ id: 'evt-3', time: '2025-03-10T11:59:00Z', type: 'login.success' });
    expect(toDetectionEvent({ ...row, type: 99 })).toBeUndefined();
    expect(toDetectionEvent({ ...row, document: '{not json' })).toMatchObject({ type: 'login.success', service: 'service-3', scheme: null });
  });
});
