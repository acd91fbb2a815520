import 'server-only';
import { Registry } from 'prom-client';
import { IngestKeyUsage } from './auth/ingest-key-usage';
import { readConfig, type Config } from './config';
import { defaultBaseUrl } from './users/first-run';
import { startDetectionThread, type Detection } from './detection/detection-client';
import { startEventPreparerThread, type EventPreparer } from './ingest/event-preparer';
import { BytesInFlight } from './ingest/bytes-in-flight';
import { TokenBuckets } from './ingest/rate-limiter';
import { createMetricsRegistry } from './metrics/registry';
import { onceEvery } from './once-every';
import { startEventReaderThreads, inProcessReader } from './store/event-reader';
import { startEventWriterThread, type EventWriter } from './store/event-writer';
import type { DatabaseOptions } from './store/sqlite/database';
import { openSqliteReader } from './store/sqlite/sqlite-reader';
import { lockDatabaseForServer } from './store/sqlite/server-lock';
import { createSqliteStore, type SqliteStore } from './store/sqlite/sqlite-store';
import type { EventReader } from './store/store';

/**
 * All process-wide state lives here, in one Core per process, reached through
 * `getCore()`. Why one object on one globalThis key: Next.js evaluates a module
 * once per bundle, and server.js loads the ingest fast path as a bundle of its
 * own, so a module-level singleton (a second SQLite handle, metrics registry,
 * rate limiter or thread) would silently exist twice. Members are created on
 * first use, so the CLI and worker threads pay only for what they touch.
 * A new process-wide thing gets a member here, never a global of its own.
 */
type ShutdownHook = () => void | Promise<void>;

/**
 * How often the detection engine looks for new events, and how many it takes at most per step. A
 * step writes only the keys its events touched, so its write transaction grows with the batch:
 * small batches keep each one short for ingest's writer, which waits for the lock meanwhile.
 */
const DETECTION_INTERVAL_MS = 250;
const DETECTION_BATCH = 2_000;

export class Core {
  readonly config: Config;
  private readonly hooks = new Map<string, ShutdownHook>();
  private members: {
    metrics?: Registry;
    store?: SqliteStore;
    writer?: { value: EventWriter | undefined };
    preparer?: { value: EventPreparer | undefined };
    reader?: EventReader;
    detection?: { value: Detection | undefined };
    ingestLimiter?: TokenBuckets;
    ingestBytesInFlight?: BytesInFlight;
    throttled?: Map<string, () => Promise<void>>;
    servicesWithSeries?: Set<string>;
    ingestKeyUsage?: IngestKeyUsage;
  } = {};

  constructor(config: Config) {
    this.config = config;
  }

  get databaseOptions(): DatabaseOptions {
    return {
      file: this.config.AUTHWATCH_DB,
      synchronous: this.config.AUTHWATCH_SQLITE_SYNC,
      busyTimeoutMs: this.config.AUTHWATCH_SQLITE_BUSY_TIMEOUT_MS,
      cacheMegabytes: this.config.AUTHWATCH_SQLITE_CACHE_MB,
    };
  }

  /**
   * The detection engine's connection: synchronous=NORMAL, so its commits (megabytes of rule
   * state under heavy traffic) hold the write lock without an fsync. In WAL mode a commit is
   * still atomic, and the next ingest commit's fsync covers its frames; a power cut can only
   * take the engine back a few steps, state, alerts and position together, to evaluate again.
   */
  get detectionDatabaseOptions(): DatabaseOptions {
    return {
      ...this.databaseOptions,
      synchronous: this.config.AUTHWATCH_SQLITE_SYNC === 'EXTRA' ? 'EXTRA' : 'NORMAL',
      // Off the main thread like the writer, it can wait out ingest's commits instead of failing its step and retrying.
      busyTimeoutMs: this.config.AUTHWATCH_WRITER_BUSY_TIMEOUT_MS,
    };
  }

  get metrics(): Registry {
    return (this.members.metrics ??= createMetricsRegistry());
  }

  /** This thread's connection for writes other than events (services, credentials); it opens and migrates the database. */
  get store(): SqliteStore {
    if (!this.members.store) {
      const store = createSqliteStore(this.databaseOptions);
      this.members.store = store;
      this.onShutdown('store', () => store.close());
    }
    return this.members.store;
  }

  /** The thread that stores events, in the server; undefined elsewhere (the CLI, tests), where the store writes them. */
  get writer(): EventWriter | undefined {
    if (!this.members.writer) {
      void this.store; // migrated before any other connection opens
      const writer = startEventWriterThread({ ...this.databaseOptions, busyTimeoutMs: this.config.AUTHWATCH_WRITER_BUSY_TIMEOUT_MS });
      this.members.writer = { value: writer };
      if (writer) this.onShutdown('event-writer', () => writer.close());
    }
    return this.members.writer.value;
  }

  /** The thread that parses, validates and redacts ingest bodies, in the server; undefined elsewhere. */
  get preparer(): EventPreparer | undefined {
    if (!this.members.preparer) {
      const preparer = startEventPreparerThread();
      this.members.preparer = { value: preparer };
      if (preparer) this.onShutdown('event-preparer', () => preparer.close());
    }
    return this.members.preparer.value;
  }

  /** Reads events: on reader threads in the server, never on the thread that serves ingest; in-process elsewhere. */
  get reader(): EventReader {
    if (!this.members.reader) {
      void this.store;
      const options = this.databaseOptions;
      const reader =
        startEventReaderThreads(options, this.config.AUTHWATCH_READER_THREADS) ?? inProcessReader(openSqliteReader(options));
      this.members.reader = reader;
      this.onShutdown('event-reader', () => reader.close());
    }
    return this.members.reader;
  }

  /** The thread that runs the detection engine, in the server unless AUTHWATCH_DETECTION=off; undefined elsewhere. */
  get detection(): Detection | undefined {
    if (!this.members.detection) {
      void this.store;
      const detection =
        this.config.AUTHWATCH_DETECTION === 'off'
          ? undefined
          : startDetectionThread({ database: this.detectionDatabaseOptions, intervalMs: DETECTION_INTERVAL_MS, batchLimit: DETECTION_BATCH, publicUrl: defaultBaseUrl() });
      this.members.detection = { value: detection };
      if (detection) this.onShutdown('detection', () => detection.close());
    }
    return this.members.detection.value;
  }

  get ingestLimiter(): TokenBuckets {
    return (this.members.ingestLimiter ??= new TokenBuckets(this.config.AUTHWATCH_INGEST_RATE, this.config.AUTHWATCH_INGEST_BURST));
  }

  /** The bound on ingest body bytes held at once across requests (AUTHWATCH_INGEST_MAX_BYTES_IN_FLIGHT). */
  get ingestBytesInFlight(): BytesInFlight {
    return (this.members.ingestBytesInFlight ??= new BytesInFlight(this.config.AUTHWATCH_INGEST_MAX_BYTES_IN_FLIGHT));
  }

  /** Services whose zero-valued metric series exist in the registry (render-metrics.ts). */
  get servicesWithSeries(): Set<string> {
    return (this.members.servicesWithSeries ??= new Set());
  }

  /**
   * Runs the process's task of that name at most once per `intervalMs`
   * (lib/once-every.ts); `work` is taken on the first call. For work a flood
   * of requests must share, such as a scrape's refresh of its sources.
   */
  throttled(name: string, intervalMs: number, work: () => Promise<void>): Promise<void> {
    const tasks = (this.members.throttled ??= new Map());
    let task = tasks.get(name);
    if (!task) tasks.set(name, (task = onceEvery(intervalMs, work)));
    return task();
  }

  /** When each ingest key was last used, noted in memory by ingest and written once a minute. */
  get ingestKeyUsage(): IngestKeyUsage {
    if (!this.members.ingestKeyUsage) {
      const usage = new IngestKeyUsage();
      this.members.ingestKeyUsage = usage;
      this.onShutdown('ingest-key-usage', () => usage.close());
    }
    return this.members.ingestKeyUsage;
  }

  /**
   * Claims the database for this server, refusing to start beside another
   * server on it (store/sqlite/server-lock.ts); held until shutdown or exit.
   * Only the server claims: the CLI works beside it.
   */
  claimDatabase(): void {
    const release = lockDatabaseForServer(this.config.AUTHWATCH_DB);
    this.onShutdown('database-lock', release);
  }

  /** Registers work to do at shutdown (stop timers, close threads and connections); hooks run newest first. */
  onShutdown(name: string, hook: ShutdownHook): void {
    this.hooks.set(name, hook);
  }

  /** Runs the shutdown hooks, newest first; a failing hook does not stop the others. Returns the names of those that failed. */
  async shutdown(): Promise<string[]> {
    const failed: string[] = [];
    for (const [name, hook] of [...this.hooks].reverse()) {
      try {
        await hook();
      } catch {
        failed.push(name);
      }
    }
    this.hooks.clear();
    this.members = {};
    return failed;
  }
}

const CORE_KEY = Symbol.for('authwatch.core');
type WithCore = typeof globalThis & { [CORE_KEY]?: Core };

/** The process's Core, created on first use from the environment; a bad setting throws with the variable's name. */
export function getCore(): Core {
  const holder = globalThis as WithCore;
  holder[CORE_KEY] ??= new Core(readConfig());
  return holder[CORE_KEY];
}
