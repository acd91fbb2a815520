import { describe, expect, it } from 'vitest';
import { isFailureType } from '@/lib/events/catalog';
import { Event } from '@/lib/events/schema';
import { DAY_MS } from '@/lib/time';
import { SeedGenerator } from '@/scripts/seed-events';

const END = Date.parse('2026-11-30T12:00:00Z');

describe('the seed generator', () => {
  const events = [...new SeedGenerator(7).events(20_000, 30, END)];

  it('is deterministic: the same seed gives the same events, ids included', () => {
    expect([...new SeedGenerator(7).events(20_000, 30, END)]).toEqual(events);
    expect([...new SeedGenerator(8).events(100, 30, END)]).not.toEqual(events.slice(0, 100));
  });

  it('yields exactly the count asked for, oldest first, inside the window, with unique ids', () => {
    expect(events).toHaveLength(20_000);
    const times = events.map((event) => Date.parse(event.time));
    expect(times.every((time, index) => index === 0 || time >= times[index - 1])).toBe(true);
    expect(times[0]).toBeGreaterThanOrEqual(END - 30 * DAY_MS);
    expect(times[times.length - 1]).toBeLessThan(END);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  });

  it('only makes events the v1 schema accepts', () => {
    const rejected = events.filter((event) => !Event.safeParse(event).success);
    expect(rejected).toEqual([]);
  });

  it('is a realistic mix: mostly successes, every type, IPv6 present, a Zipf-like tail of users', () => {
    const failures = events.filter((event) => isFailureType(event.type)).length / events.length;
    expect(failures).toBeGreaterThan(0.1);
    expect(failures).toBeLessThan(0.35);
    expect(new Set(events.map((event) => event.type)).size).toBe(12);
    const ips = events.map((event) => (event.source as { ip: string }).ip);
    const v6 = ips.filter((ip) => ip.includes(':')).length / ips.length;
    expect(v6).toBeGreaterThan(0.03);
    expect(v6).toBeLessThan(0.3);
    const users = new Map<string, number>();
    for (const event of events) {
      const name = (event.actor as { username: string }).username;
      users.set(name, (users.get(name) ?? 0) + 1);
    }
    const counts = [...users.values()].sort((a, b) => b - a);
    expect(users.size).toBeGreaterThan(5_000);
    expect(counts[0]).toBeGreaterThan(20 * counts[Math.floor(counts.length / 2)]);
  });

  it('follows a daily rhythm: the afternoon peak carries well over the night trough', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const event of events) byHour[new Date(event.time).getUTCHours()]++;
    expect(byHour[15]).toBeGreaterThan(3 * byHour[3]);
  });
});
