import { AppConfig } from '../config/app-config';
import { ValidationFailedError } from '../common/errors';
import { checkUrlLiteral } from '../delivery/http/ssrf';

export const MAX_URL_LENGTH = 2048;

/** Registration-time URL rules shared by every surface: shape here, names are judged when they resolve. */
export function urlProblem(url: string, config: AppConfig): string | null {
  if (url.length > MAX_URL_LENGTH) return `url must be at most ${MAX_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'url must be an absolute http(s) URL';
  if (parsed.username || parsed.password) return 'url must not contain credentials (user:password@)';
  const verdict = checkUrlLiteral(url, { allowPrivateNetworks: config.DELIVERY_ALLOW_PRIVATE_NETWORKS, allowedCidrs: config.DELIVERY_ALLOWED_CIDRS });
  if (!verdict.allowed) return `url points to a destination that is not allowed (${verdict.reason})`;
  return null;
}

export function checkEndpointUrl(url: string, config: AppConfig): void {
  const problem = urlProblem(url, config);
  if (problem) throw new ValidationFailedError([{ path: ['url'], code: 'url', message: problem }]);
}
