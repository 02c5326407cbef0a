import { Body, Controller, Header, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Access } from './access.decorator';
import { parseClientCredentials } from './client-credentials';
import { OAuthErrorDto, TokenRequestDto, TokenResponseDto } from './oauth.dto';
import { OAuthTokenService } from './oauth-token.service';
import { TOKEN_FAILURES_PER_MINUTE } from './token-failure-limit';

@ApiTags('auth')
@Controller('oauth2')
export class OAuthController {
  constructor(private readonly tokens: OAuthTokenService) {}

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
  token(@Body() body: unknown, @Ip() address: string, @Headers('authorization') authorization?: string): Promise<TokenResponseDto> {
    return this.tokens.issue(parseClientCredentials(body, authorization), address);
  }
}
