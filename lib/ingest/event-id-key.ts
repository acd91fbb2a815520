import type { Context } from '../context';
import type { Store } from '../store/store';

const keys = new WeakMap<Store, Buffer>();

/**
 * The install's key for digests of secret-looking event ids, read once per
 * store and handed to whoever prepares events (the preparer thread never opens
 * the database).
 */
export function eventIdKey(ctx: Pick<Context, 'store'>): Buffer {
  let key = keys.get(ctx.store);
  if (!key) {
    key = ctx.store.installSecret('event_id_digest');
    keys.set(ctx.store, key);
  }
  return key;
}
