/** Per-user sliding-window limit on questions: at most `count` in any `windowMs`. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly count: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one slot for `key`, or says how long until one frees up. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.now();
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= this.count) {
      this.hits.set(key, recent);
      return { ok: false, retryAfterMs: Math.max(1, recent[0]! + this.windowMs - now) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(since);
    return { ok: true };
  }

  private prune(since: number): void {
    for (const [key, times] of this.hits) if (times.every((at) => at <= since)) this.hits.delete(key);
  }
}

/** The reply to a rate-limited user: when to retry, as a relative Discord timestamp and in seconds. */
export function rateLimitMessage(retryAfterMs: number, limiter: { count: number; windowMs: number }, now = Date.now()): string {
  const seconds = Math.ceil(retryAfterMs / 1000);
  const at = Math.ceil((now + retryAfterMs) / 1000);
  return (
    `You're asking quickly: the limit is ${limiter.count} questions per ${Math.round(limiter.windowMs / 1000)} s. ` +
    `Try again in ${seconds} s (<t:${at}:R>).`
  );
}
