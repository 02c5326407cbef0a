import type { IncomingHttpHeaders } from 'node:http';
import { Agent, Dispatcher } from 'undici';
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

  send(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<SendResult> {
    return new Promise((resolve) => {
      const started = performance.now();
      const handler = new PrefixHandler(RESPONSE_BODY_LIMIT, timeoutMs, (outcome) => {
        const durationMs = Math.round(performance.now() - started);
        if ('error' in outcome) {
          const denied = isDestinationDenied(outcome.error);
          resolve({ statusCode: null, error: denied ? 'destination not allowed' : describe(outcome.error, timeoutMs), denied, responseBody: null, responseHeaders: null, durationMs });
          return;
        }
        const { statusCode, headers: received, prefix } = outcome.response;
        resolve({
          statusCode,
          error: statusCode >= 300 && statusCode < 400 ? `redirect to ${String(received.location ?? '?')} not followed` : null,
          retryAfterMs: parseRetryAfter(received['retry-after']),
          responseBody: prefix,
          responseHeaders: received,
          durationMs,
        });
      });
      try {
        const { origin, pathname, search } = new URL(url);
        this.dispatcher.dispatch({ origin, path: `${pathname}${search}`, method: 'POST', headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }, handler);
      } catch (err) {
        handler.onResponseError(null, err as Error);
      }
    });
  }
}

interface ReceivedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The first bytes of the body (up to the limit), or null for an empty one. */
  prefix: string | null;
}

/**
 * Undici's dispatch handler for one attempt, without the Readable stream, promise and abort
 * signal that `request()` builds for each call (~10% of a delivery's CPU together). It keeps the
 * first `limit` bytes of the body and then drops the connection, and bounds the whole attempt by
 * one timer (connecting included; undici's own timeouts bound each wait). The receiver has
 * answered once its status arrived: a body that stalls or breaks off afterwards (timeout, reset)
 * leaves the outcome as it is, with whatever prefix was read.
 */
class PrefixHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private response: Omit<ReceivedResponse, 'prefix'> | null = null;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    private readonly limit: number,
    private readonly timeoutMs: number,
    // Tagged, not told apart by `instanceof Error`: Node's socket errors may come from another realm (jest's vm).
    private readonly settle: (outcome: { response: ReceivedResponse } | { error: unknown }) => void,
  ) {
    this.deadline = setTimeout(() => this.finish(new DeadlineError(timeoutMs)), timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // The deadline passed while connecting: the attempt is already reported as timed out.
    if (this.settled) controller.abort(new DeadlineError(this.timeoutMs));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode >= 200) this.response = { statusCode, headers };
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.limit) this.finish(null);
  }

  onResponseEnd(): void {
    this.finish(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    this.finish(error);
  }

  /** Reports once: the response if its status arrived, else the error; then frees the connection if still busy. */
  private finish(error: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.deadline);
    if (this.response) {
      const prefix = this.size ? (this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks)).subarray(0, this.limit).toString('utf8') : null;
      this.settle({ response: { ...this.response, prefix } });
    } else {
      this.settle({ error: error ?? new Error('the receiver closed the connection without a response') });
    }
    // Past the prefix, or out of time: the rest is never read (the connection is dropped, not reused).
    if (error instanceof DeadlineError || this.size >= this.limit) this.controller?.abort(error ?? new Error('response body past the stored prefix'));
  }
}

class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
  constructor(timeoutMs: number) {
    super(`timeout after ${timeoutMs} ms`);
  }
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
