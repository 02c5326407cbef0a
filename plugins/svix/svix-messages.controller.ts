import { Body, Controller, Get, Headers, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Operation, Principal } from '../../src/sdk';
import { SvixMessages } from './svix-messages.service';
import { QueryParams, SVIX_READ, SVIX_WRITE } from './svix.openapi';
import {
  AttemptListQuery,
  AttemptsByEndpointQuery,
  AttemptsByMsgQuery,
  EmptyResponse,
  ListQuery,
  ListResponse,
  ListResponseMessageAttemptOut,
  ListResponseMessageEndpointOut,
  ListResponseMessageOut,
  MessageAttemptOut,
  MessageEndpointOut,
  MessageIn,
  MessageListQuery,
  MessageOut,
  WithContentQuery,
} from './svix.schemas';

/** Messages and their attempts; `app_id` and `endpoint_id` take the id or the uid, `msg_id` the id or the eventId. */
@ApiTags('svix')
@Controller('api/v1/app/:app_id')
export class SvixMessagesController {
  constructor(private readonly messages: SvixMessages) {}

  @Get('msg')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.message.list', summary: 'List Messages', status: 200, response: ListResponseMessageOut, errors: [404, 422] })
  @QueryParams(MessageListQuery)
  list(@Param('app_id') appId: string, @Query(MessageListQuery) query: MessageListQuery, @CurrentPrincipal() caller: Principal): Promise<ListResponse<MessageOut>> {
    return this.messages.list(caller, appId, query);
  }

  @Post('msg')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.message.create', idempotent: true, summary: 'Create Message', description: 'Sends the payload to every endpoint of the application that takes its event type and channels. eventId de-duplicates within the application for 24 h.', status: 202, body: MessageIn, response: MessageOut, errors: [404, 409, 422] })
  @QueryParams(WithContentQuery)
  create(
    @Param('app_id') appId: string,
    @Body(MessageIn) body: MessageIn,
    @Query(WithContentQuery) query: { with_content?: boolean },
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() caller: Principal,
  ): Promise<MessageOut> {
    return this.messages.create(caller, appId, body, query.with_content ?? true, idempotencyKey);
  }

  @Get('msg/:msg_id')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.message.get', summary: 'Get Message', description: "msg_id is the message's id or its eventId.", status: 200, response: MessageOut, errors: [404, 422] })
  @QueryParams(WithContentQuery)
  get(@Param('app_id') appId: string, @Param('msg_id') msgId: string, @Query(WithContentQuery) query: { with_content?: boolean }, @CurrentPrincipal() caller: Principal): Promise<MessageOut> {
    return this.messages.get(caller, appId, msgId, query.with_content ?? true);
  }

  @Get('attempt/endpoint/:endpoint_id')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.message-attempt.list-by-endpoint', summary: 'List Attempts By Endpoint', status: 200, response: ListResponseMessageAttemptOut, errors: [404, 422] })
  @QueryParams(AttemptsByEndpointQuery)
  attemptsOfEndpoint(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @Query(AttemptsByEndpointQuery) query: AttemptListQuery, @CurrentPrincipal() caller: Principal): Promise<ListResponse<MessageAttemptOut>> {
    return this.messages.attemptsOfEndpoint(caller, appId, endpointId, query);
  }

  @Get('attempt/msg/:msg_id')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.message-attempt.list-by-msg', summary: 'List Attempts By Msg', status: 200, response: ListResponseMessageAttemptOut, errors: [404, 422] })
  @QueryParams(AttemptsByMsgQuery)
  attemptsOfMessage(@Param('app_id') appId: string, @Param('msg_id') msgId: string, @Query(AttemptsByMsgQuery) query: AttemptListQuery, @CurrentPrincipal() caller: Principal): Promise<ListResponse<MessageAttemptOut>> {
    return this.messages.attemptsOfMessage(caller, appId, msgId, query);
  }

  @Get('msg/:msg_id/attempt/:attempt_id')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.message-attempt.get', summary: 'Get Attempt', status: 200, response: MessageAttemptOut, errors: [404] })
  attempt(@Param('app_id') appId: string, @Param('msg_id') msgId: string, @Param('attempt_id') attemptId: string, @CurrentPrincipal() caller: Principal): Promise<MessageAttemptOut> {
    return this.messages.attempt(caller, appId, msgId, attemptId);
  }

  @Post('msg/:msg_id/endpoint/:endpoint_id/resend')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.message-attempt.resend', idempotent: true, summary: 'Resend Webhook', description: 'A new attempt of the message at the endpoint now.', status: 202, response: EmptyResponse, errors: [404, 409] })
  resend(@Param('app_id') appId: string, @Param('msg_id') msgId: string, @Param('endpoint_id') endpointId: string, @CurrentPrincipal() caller: Principal): Promise<Record<string, never>> {
    return this.messages.resend(caller, appId, msgId, endpointId);
  }

  @Get('msg/:msg_id/endpoint')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.message-attempt.list-attempted-destinations', summary: 'List Attempted Destinations', status: 200, response: ListResponseMessageEndpointOut, errors: [404, 422] })
  @QueryParams(ListQuery)
  destinations(@Param('app_id') appId: string, @Param('msg_id') msgId: string, @Query(ListQuery) query: ListQuery, @CurrentPrincipal() caller: Principal): Promise<ListResponse<MessageEndpointOut>> {
    return this.messages.destinations(caller, appId, msgId, query);
  }
}
