// The results service of GitHub Actions (ACTIONS_RESULTS_URL), which holds the cache (v2) and
// artifacts (v4): its twirp calls, JSON over HTTP with the runtime token, retried as
// @actions/cache's and @actions/artifact's clients retry them, and the upload of a blob to the
// signed URL it hands out.

import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { DEFAULT_RETRY_POLICY, isRetryableError, isRetryableStatus, retryDelayMs } from '../core/channel/retry.ts';

/** Where the service is (with a trailing slash) and the job's runtime token. */
export interface ResultsService {
  url: string;
  token: string;
}

/** A failure of the service, an upload or a download; callers turn it into a warning. */
export class ResultsServiceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResultsServiceError';
  }
}

export const USER_AGENT = 'env-setup (GitHub Action)';

/** GitHub Enterprise Server (a host other than github.com, *.ghe.com or *.localhost), which has neither cache v2 nor v4 artifacts: @actions/cache's and @actions/artifact's rule. */
export function isGhes(env: NodeJS.ProcessEnv): boolean {
  let host: string;
  try {
    host = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.trimEnd().toUpperCase();
  } catch {
    return true;
  }
  return host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
}

/**
 * One twirp call (JSON) of the results service: the answer's fields. Retries 5xx answers and dropped
 * connections with backoff; anything else is a ResultsServiceError with the service's message.
 */
export async function twirp(service: ResultsService, method: string, body: Record<string, unknown>, dispatcher?: Dispatcher): Promise<Record<string, unknown>> {
  const url = `${service.url}twirp/github.actions.results.api.v1.${method}`;
  const text = JSON.stringify(body);
  for (let attempt = 0; ; attempt++) {
    const last = attempt + 1 >= DEFAULT_RETRY_POLICY.attempts;
    let status: number;
    let answer: string;
    let retryAfter: string | undefined;
    try {
      const r = await request(url, {
        method: 'POST',
        body: text,
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${service.token}`, 'user-agent': USER_AGENT },
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
        ...(dispatcher === undefined ? {} : { dispatcher }),
      });
      status = r.statusCode;
      const after = r.headers['retry-after'];
      retryAfter = typeof after === 'string' ? after : undefined;
      answer = await r.body.text();
    } catch (error) {
      if (last || !isRetryableError(error)) throw new ResultsServiceError(`the results service did not answer: ${(error as Error).message}`, { cause: error });
      await sleep(retryDelayMs(DEFAULT_RETRY_POLICY, attempt));
      continue;
    }
    if (status === 200) {
      try {
        const parsed = JSON.parse(answer) as unknown;
        if (parsed !== null && typeof parsed === 'object') return parsed as Record<string, unknown>;
      } catch {
        // below
      }
      throw new ResultsServiceError(`the results service answered ${method} with something that is not a JSON object`);
    }
    if (last || !isRetryableStatus(status)) throw new ResultsServiceError(`the results service answered HTTP ${status}${serviceMessage(answer)}`);
    await sleep(retryDelayMs(DEFAULT_RETRY_POLICY, attempt, retryAfter));
  }
}

function serviceMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { msg?: unknown; message?: unknown };
    const m = parsed.msg ?? parsed.message;
    return typeof m === 'string' && m !== '' ? `: ${m.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

/**
 * Uploads `body` to a signed blob URL in one request (Azure's Put Blob, as @azure/storage-blob sends
 * an upload that fits one); `what` names it in errors. A ResultsServiceError unless the store took it.
 */
export async function putBlob(url: string, body: Buffer, contentType: string, what: string, dispatcher?: Dispatcher): Promise<void> {
  let status: number;
  try {
    const r = await request(url, {
      method: 'PUT',
      body,
      headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-version': '2024-11-04', 'x-ms-blob-content-type': contentType, 'content-type': contentType, 'content-length': String(body.length), 'user-agent': USER_AGENT },
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
      ...(dispatcher === undefined ? {} : { dispatcher }),
    });
    status = r.statusCode;
    await r.body.dump();
  } catch (error) {
    throw new ResultsServiceError(`uploading ${what} failed: ${(error as Error).message}`, { cause: error });
  }
  if (status !== 201 && status !== 200) throw new ResultsServiceError(`uploading ${what} failed: HTTP ${status}`);
}
