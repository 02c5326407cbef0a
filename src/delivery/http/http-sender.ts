import { Agent, Dispatcher, request } from 'undici';
import { isDestinationDenied } from './ssrf';
import { AttemptOutcome, parseRetryAfter } from '../engine/retry-policy';

export const RESPONSE_BODY_LIMIT = 4096;

export interface SendResult extends AttemptOutcome {
  durationMs: number;
  /** The first 4 KiB of the response body. */
  responseBody: string | null;
  /** As received (unmasked): null when no response came. */
  responseHeaders: Record<string, string | string[] | undefined> | null;
}

/**
 * One HTTP POST through a keep-alive pool whose connector checks every resolved address (SSRF).
 * Redirects are never followed; at most 4 KiB of the response is read, the rest is discarded
 * so a huge body costs no memory.
 */
export class HttpSender {
  constructor(private readonly dispatcher: Dispatcher | Agent) {}

  async send(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // The whole attempt's deadline (connect and body included). A controller and a plain timer cost
    // about half of AbortSignal.timeout, whose signal is also tracked for GC (~1% of a delivery's CPU).
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DOMException(`timeout after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    try {
      const res = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: deadline.signal,
      });
      const responseBody = await readPrefix(res.body, RESPONSE_BODY_LIMIT);
      return {
        statusCode: res.statusCode,
        error: res.statusCode >= 300 && res.statusCode < 400 ? `redirect to ${String(res.headers.location ?? '?')} not followed` : null,
        retryAfterMs: parseRetryAfter(res.headers['retry-after']),
        responseBody,
        responseHeaders: res.headers,
        durationMs: elapsed(),
      };
    } catch (err) {
      const denied = isDestinationDenied(err);
      return { statusCode: null, error: denied ? 'destination not allowed' : describe(err, timeoutMs), denied, responseBody: null, responseHeaders: null, durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The receiver has answered once its status arrived: a body that stalls or breaks off afterwards
 * (timeout, reset) leaves the outcome as it is, with whatever prefix was read.
 */
async function readPrefix(body: Dispatcher.ResponseData['body'], limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= limit) break;
    }
  } catch {
    // keep the prefix read so far
  } finally {
    body.destroy();
  }
  return size ? Buffer.concat(chunks).subarray(0, limit).toString('utf8') : null;
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return `timeout after ${timeoutMs} ms`;
  }
  const message = e.cause?.message ?? e.message ?? String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
