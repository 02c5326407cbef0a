import { Injectable } from '@nestjs/common';
import { ClientCredentialsRequest } from './client-credentials';
import { OAuthError } from './oauth-error';
import { PrincipalsService } from './principals.service';
import { TokenFailureLimit } from './token-failure-limit';

/** The client_credentials grant: authenticates the client under the failure limit, then issues a token narrowed to the scopes asked for. */
@Injectable()
export class OAuthTokenService {
  constructor(
    private readonly principals: PrincipalsService,
    private readonly failures: TokenFailureLimit,
  ) {}

  async issue(request: ClientCredentialsRequest, address: string): Promise<ReturnType<PrincipalsService['issueToken']>> {
    const { clientId, clientSecret, scopes } = request;
    const attempt = await this.failures.begin(clientId, address);
    const client = clientId && clientSecret ? await this.principals.authenticateClient(clientId, clientSecret) : null;
    if (!client) throw new OAuthError('invalid_client', 'client authentication failed');
    await attempt.succeeded();

    const unknown = (scopes ?? []).filter((s) => !client.scopes.includes(s));
    if (unknown.length) throw new OAuthError('invalid_scope', `the client may not request: ${unknown.join(' ')}`);
    return this.principals.issueToken(client, scopes?.length ? scopes : client.scopes);
  }
}
