/** BullMQ connection options from a Redis URL (`redis://[user:password@]host:port[/db]` or `rediss://` for TLS). */
import type { ConnectionOptions as TlsOptions } from 'node:tls';

/** How to reach the queue. */
export interface QueueConnection {
  /** Redis URL; credentials in it are never logged (see `redactUrl`). */
  url: string;
  /** Extra TLS options (e.g. `ca` for a private certificate authority); `rediss://` alone uses the system CAs. */
  tls?: TlsOptions;
  /** Queue name. Default `rank-collapse`. */
  queueName?: string;
  /** Redis key prefix. Default `bull`. */
  prefix?: string;
}

export const DEFAULT_QUEUE_NAME = 'rank-collapse';

/** Options for BullMQ's `connection`, resolved by ioredis from the URL. */
export function connectionOptions(connection: QueueConnection): Record<string, unknown> {
  return {
    url: connection.url,
    // BullMQ's blocking commands require no per-request retry limit.
    maxRetriesPerRequest: null,
    ...(connection.tls && { tls: connection.tls }),
  };
}
