/**
 * @module
 * A request rate limit per API token: a token bucket per key, in process memory. Each bucket holds up to `burst`
 * requests and refills at `limitPerMinute / 60` requests a second; a request takes one. Over the limit the answer
 * is 429 with `Retry-After` (whole seconds until one request would be let through) and
 * `{"error":{"status":429,"message":"rate limit of 600 requests per minute exceeded for this token; retry after 1 s"}}`.
 * Every limited response carries `RateLimit-Limit` (requests per minute) and `RateLimit-Remaining` (requests that
 * would be let through now), the field names of the IETF draft "RateLimit header fields for HTTP".
 *
 * The limit is per instance: buckets live in this process, so behind a load balancer each of N stateless instances
 * lets a token through at the full rate (N times the limit in all). A shared limit needs a shared store.
 *
 * @example
 * ```ts
 * app.use(rateLimit({ ...config.rateLimit, key: (c) => c.get('principal')?.tokenId?.toString() }));
 * ```
 */
import type { Context, MiddlewareHandler } from 'hono';

export interface RateLimitOptions {
  /** Sustained rate; 0 turns the limit off. */
  limitPerMinute: number;
  /** Requests one key may make at once after being idle. At least 1. */
  burst: number;
  /** The bucket a request counts against; `undefined` (an anonymous request): not limited. */
  key: (c: Context) => string | undefined;
  /** Milliseconds; `Date.now` by default (tests inject a clock). */
  now?: () => number;
  /** Most buckets kept (default 10 000); see {@link TokenBuckets}. */
  maxKeys?: number;
}

export interface Take {
  allowed: boolean;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** When refused: whole seconds until the bucket holds one request again (at least 1). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * The buckets of {@link rateLimit}, bounded: a bucket that has refilled completely says nothing a new bucket
 * would not, so idle ones are dropped (swept when the map reaches `maxKeys`, and at most once a minute otherwise).
 * If more than `maxKeys` keys are active at once, the least recently used bucket goes: that key starts again
 * with a full burst, a rare and bounded leniency instead of unbounded memory.
 */
export class TokenBuckets {
  readonly limitPerMinute: number;
  readonly burst: number;
  readonly #perMs: number;
  readonly #now: () => number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, Bucket>();
  #lastSweep: number;

  constructor(options: { limitPerMinute: number; burst: number; now?: () => number; maxKeys?: number }) {
    if (!(options.limitPerMinute > 0)) throw new RangeError(`limitPerMinute must be above 0, not ${options.limitPerMinute}`);
    if (!(options.burst >= 1)) throw new RangeError(`burst must be at least 1, not ${options.burst}`);
    this.limitPerMinute = options.limitPerMinute;
    this.burst = options.burst;
    this.#perMs = options.limitPerMinute / 60_000;
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#lastSweep = this.#now();
  }

  /** Buckets held now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Counts one request against `key`. */
  take(key: string): Take {
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.updatedAt) * this.#perMs);
      bucket.updatedAt = now;
      this.#buckets.delete(key); // re-inserted below: the map's order is least recently used first
    } else {
      this.#makeRoom(now);
      bucket = { tokens: this.burst, updatedAt: now };
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000)) };
  }

  #makeRoom(now: number) {
    if (this.#buckets.size < this.#maxKeys && now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    const refillMs = this.burst / this.#perMs;
    for (const [key, bucket] of this.#buckets) if (now - bucket.updatedAt >= refillMs) this.#buckets.delete(key);
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size < this.#maxKeys) break;
      this.#buckets.delete(key);
    }
  }
}

/** hono middleware limiting requests per `key` (the API token); see the module comment. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  if (options.limitPerMinute === 0) {
    return async function rateLimitOff(_c, next) {
      await next();
    };
  }
  const buckets = new TokenBuckets(options);
  const limit = String(options.limitPerMinute);
  return async function rateLimitRequest(c, next) {
    const key = options.key(c);
    if (key === undefined) return next();
    const take = buckets.take(key);
    if (!take.allowed) {
      const message = `rate limit of ${limit} requests per minute exceeded for this token; retry after ${take.retryAfterSeconds} s`;
      return c.json({ error: { status: 429, message } }, 429, {
        'Retry-After': String(take.retryAfterSeconds),
        'RateLimit-Limit': limit,
        'RateLimit-Remaining': '0',
      });
    }
    await next();
    c.header('RateLimit-Limit', limit);
    c.header('RateLimit-Remaining', String(take.remaining));
  };
}
