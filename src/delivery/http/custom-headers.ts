import { ValidationIssue } from '../../common/errors';
import { GATEWAY_HEADERS } from './wire-request';

/** Hop-by-hop headers, which only the connection may carry (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade']);
/** The Standard Webhooks family, which the gateway owns whatever comes after the prefix. */
const GATEWAY_HEADER_PREFIXES = ['webhook-'];
/** RFC 9110 `token`: what a header field name may consist of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 9110 field-value: visible characters, spaces and tabs; no CR, LF, NUL or other controls. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * An endpoint's custom delivery headers that could not be sent as given or would override the
 * gateway's own (one rule for every surface). `reservedPrefixes` adds a plugin's own family
 * (e.g. `x-polyai-`). Issues are at `['headers', name]`, each message naming `headers.<name>`.
 */
export function customHeaderIssues(headers: Record<string, string> | undefined, reservedPrefixes: readonly string[] = []): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  const reserved = [...GATEWAY_HEADER_PREFIXES, ...reservedPrefixes.map((p) => p.toLowerCase())];
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    const issue = (code: string, message: string) => issues.push({ path: ['headers', name], code, message: `headers.${name} ${message}` });
    if (!TOKEN.test(name)) issue('header_name', 'is not a valid HTTP header name');
    else if (GATEWAY_HEADERS.includes(lower) || HOP_BY_HOP.has(lower) || reserved.some((p) => lower.startsWith(p))) issue('reserved_header', 'is set by the gateway on every delivery and cannot be overridden');
    else if (seen.has(lower)) issue('duplicate_header', 'is given twice (header names are case-insensitive)');
    else if (typeof value !== 'string' || !FIELD_VALUE.test(value)) issue('header_value', 'must not contain line breaks or control characters');
    seen.add(lower);
  }
  return issues;
}
