// When and how long to wait before trying an HTTP request again: 5xx (and 408/429) answers, timeouts
// and dropped connections are retried a bounded number of times with exponential backoff and jitter
// (a server's Retry-After is honoured up to the maximum delay).

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 4. */
  attempts: number;
  /** Delay before the first retry, doubled for each further one. Default 250 ms. */
  baseDelayMs: number;
  /** Upper bound for one delay. Default 5000 ms. */
  maxDelayMs: number;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { attempts: 4, baseDelayMs: 250, maxDelayMs: 5000 };

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || (status >= 500 && status !== 501 && status !== 505);
}

/** The error code (`ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`, …) of an error or its cause. */
export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function isRetryableError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** Delay before retry number `retry` (0 for the first retry). `retryAfter` is the server's Retry-After header. */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfter?: string): number {
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) return Math.min(policy.maxDelayMs, Number(retryAfter) * 1000);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return cap * (0.5 + 0.5 * (policy.random ?? Math.random)());
}
