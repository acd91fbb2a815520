/**
 * Shutdown hooks, on globalThis so the custom server (server.js, plain JS outside
 * the Next.js bundles) can run what the bundles registered once in-flight
 * requests are done: stop timers, then close the database. server.js runs them
 * newest first.
 */
const HOOKS_KEY = Symbol.for('authwatch.shutdown-hooks');
type ShutdownHook = () => void | Promise<void>;
type WithHooks = typeof globalThis & { [HOOKS_KEY]?: Map<string, ShutdownHook> };

export function onShutdown(name: string, hook: ShutdownHook): void {
  const holder = globalThis as WithHooks;
  holder[HOOKS_KEY] ??= new Map();
  holder[HOOKS_KEY].set(name, hook);
}
