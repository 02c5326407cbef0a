import { Body, Controller, Header, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CoreError } from '../common/errors';
import { Access } from './access.decorator';
import { PrincipalsService } from './principals.service';
import { TOKEN_FAILURES_PER_MINUTE, TokenFailureLimit } from './token-failure-limit';

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

/** RFC 6749 §2.3.1: the id and secret are form-encoded inside Basic; a malformed %-escape is a failed authentication. */
function basicCredential(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new OAuthError('invalid_client', 'client authentication failed: malformed %-escape in the Basic credentials');
  }
}

class TokenRequestDto {
  @ApiProperty({ example: 'client_credentials' }) grant_type: string;
  @ApiProperty({ required: false, description: 'Or HTTP Basic (client_secret_basic)' }) client_id?: string;
  @ApiProperty({ required: false }) client_secret?: string;
  @ApiProperty({ required: false, example: 'webhooks:read webhooks:write', description: "Narrows the token to these of the client's scopes" }) scope?: string;
}

class TokenResponseDto {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: string;
  @ApiProperty({ example: 3600 }) expires_in: number;
  @ApiProperty({ example: 'webhooks:read' }) scope: string;
}

class OAuthErrorDto {
  @ApiProperty({ enum: ['invalid_request', 'invalid_client', 'invalid_scope', 'unsupported_grant_type'] }) error: string;
  @ApiProperty() error_description: string;
}

@ApiTags('auth')
@Controller('oauth2')
export class OAuthController {
  constructor(
    private readonly principals: PrincipalsService,
    private readonly failures: TokenFailureLimit,
  ) {}

  @Post('token')
  @HttpCode(200)
  // RFC 6749 §5.1: a token answer must never be cached.
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @Access({ public: true })
  @ApiOperation({ operationId: 'issueToken', summary: 'OAuth2 client_credentials token (form or JSON body; client_secret_basic or client_secret_post)' })
  @ApiBody({ type: TokenRequestDto, required: true })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiResponse({ status: 400, type: OAuthErrorDto, description: 'invalid_request, invalid_scope or unsupported_grant_type' })
  @ApiResponse({ status: 401, type: OAuthErrorDto, description: 'invalid_client' })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: `More than ${TOKEN_FAILURES_PER_MINUTE} failed attempts in a minute for this client id or source address (see Retry-After)` })
  async token(@Body() body: unknown, @Ip() address: string, @Headers('authorization') authorization?: string): Promise<TokenResponseDto> {
    const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const grant = field('grant_type');
    if (!grant) throw new OAuthError('invalid_request', 'grant_type is required');
    if (grant !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'only client_credentials is supported');

    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    let id = field('client_id');
    let secret = field('client_secret');
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0 || (id && secret)) throw new OAuthError('invalid_request', 'use either HTTP Basic or client_id/client_secret in the body, not both');
      id = basicCredential(decoded.slice(0, colon));
      secret = basicCredential(decoded.slice(colon + 1));
    }
    const attempt = await this.failures.begin(id, address);
    const client = id && secret ? await this.principals.authenticateClient(id, secret) : null;
    if (!client) throw new OAuthError('invalid_client', 'client authentication failed');
    await attempt.succeeded();

    const requested = field('scope')?.split(' ').filter(Boolean);
    const unknown = (requested ?? []).filter((s) => !client.scopes.includes(s));
    if (unknown.length) throw new OAuthError('invalid_scope', `the client may not request: ${unknown.join(' ')}`);
    return this.principals.issueToken(client, requested?.length ? requested : client.scopes);
  }
}
