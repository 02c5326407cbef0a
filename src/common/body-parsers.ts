import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseForm } from 'node:querystring';
import { CoreError } from './errors';
import { FRAMEWORK_MESSAGES } from './error-rendering';

/** Deepest JSON nesting a body may have (objects and arrays); deeper bodies are a 400 before parsing. */
export const MAX_JSON_DEPTH = 1000;

/** Routes that also take `application/x-www-form-urlencoded` (OAuth 2 clients send forms). */
export const FORM_ROUTES: ReadonlySet<string> = new Set(['/oauth2/token']);

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** How many `byte`s `body` holds, counting no further than `limit + 1` (native searches, no byte loop). */
function countUpTo(body: Buffer, byte: number, limit: number): number {
  let count = 0;
  for (let at = body.indexOf(byte); at !== -1 && count <= limit; at = body.indexOf(byte, at + 1)) count++;
  return count;
}

/**
 * Whether JSON text nests deeper than `max`, found without recursion (so the check cannot itself
 * blow the stack). Bytes of multi-byte UTF-8 characters are never ASCII, so working on bytes is
 * exact. Malformed text is left to JSON.parse.
 */
export function nestsDeeperThan(body: Buffer, max: number): boolean {
  // Nesting deeper than `max` takes more than `max` opening brackets: most bodies have far fewer.
  if (body.length <= max || countUpTo(body, OPEN_OBJECT, max) + countUpTo(body, OPEN_ARRAY, max) <= max) return false;
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) i = endOfString(body, i);
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return false;
}

/** Strings longer than this are skipped with native searches; shorter ones byte by byte (cheaper for them). */
const SHORT_STRING = 32;

/** The index of the quote that closes the string opened at `open` (or the end of the body). */
function endOfString(body: Buffer, open: number): number {
  const shortEnd = Math.min(body.length, open + 1 + SHORT_STRING);
  let i = open + 1;
  for (; i < shortEnd; i++) {
    if (body[i] === BACKSLASH) i++;
    else if (body[i] === QUOTE) return i;
  }
  // A quote closes the string unless an odd run of backslashes escapes it.
  for (let quote = body.indexOf(QUOTE, i); quote !== -1; quote = body.indexOf(QUOTE, quote + 1)) {
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return body.length;
}

/** UTF-8 is the only charset JSON has (RFC 8259 §8.1); an absent charset means it too. */
function hasUtf8Charset(req: FastifyRequest): boolean {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(req.headers['content-type'] ?? '')?.[1];
  return charset === undefined || /^utf-?8$/i.test(charset);
}

const unsupportedMediaType = () => new CoreError(415, 'unsupported_media_type', FRAMEWORK_MESSAGES[415]);

/**
 * The only request bodies the gateway reads: UTF-8 JSON no deeper than MAX_JSON_DEPTH on every
 * route, and UTF-8 forms on FORM_ROUTES. Anything else is a 415 in the surface's error shape.
 * Replaces Fastify's and Nest's default parsers (create the app with `bodyParser: false`).
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  // Prototype-poisoning keys are refused, as Fastify's own parser does by default.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    if (!hasUtf8Charset(req)) return done(unsupportedMediaType(), undefined);
    // Zero bytes is no body, as without a Content-Type (clients send the header on bodiless PUTs):
    // routes that take none proceed, routes that need one refuse its absence in their own words.
    if ((body as Buffer).length === 0) return done(null, undefined);
    if (nestsDeeperThan(body as Buffer, MAX_JSON_DEPTH)) {
      return done(new CoreError(400, 'bad_request', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    }
    parseJson(req, (body as Buffer).toString('utf8'), done);
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    if (!FORM_ROUTES.has(req.routeOptions.url ?? '') || !hasUtf8Charset(req)) return done(unsupportedMediaType(), undefined);
    done(null, parseForm(body as string));
  });
}
