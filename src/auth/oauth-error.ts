import { CoreError } from '../common/errors';

/** RFC 6749 §5.2 error, rendered as `{error, error_description}` on the /oauth2 surface. */
export class OAuthError extends CoreError {
  constructor(
    readonly oauthCode: 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type',
    description: string,
  ) {
    super(oauthCode === 'invalid_client' ? 401 : 400, oauthCode === 'invalid_client' ? 'unauthorized' : 'bad_request', description, [], oauthCode === 'invalid_client' ? { 'www-authenticate': 'Basic realm="hookgate"' } : {});
  }
}

export function oauthErrorBody(error: CoreError): { error: string; error_description: string } {
  const code = error instanceof OAuthError ? error.oauthCode : error.status === 401 ? 'invalid_client' : 'invalid_request';
  return { error: code, error_description: error.message };
}
