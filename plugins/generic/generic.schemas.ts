import { customHeaderIssues, GATEWAY_HEADERS, MASKED_VALUE, schema, z } from '../../src/sdk';
import type { Infer } from '../../src/sdk';

export const AUTH_TYPES = ['none', 'basic', 'querystring', 'authheader', 'header', 'bearer'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const DEFAULT_HEADER_NAME = 'X-Api-Key';
export const DEFAULT_QUERY_PARAM = 'token';

/** The core's limit on an endpoint URL, enforced here too so that the docs show it. */
const MAX_URL_LENGTH = 2048;
/** CR, LF, NUL and other controls would break the header (or the URL) they are written into. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
/** RFC 3986 unreserved characters: a parameter name that needs no encoding. */
const QUERY_PARAM = /^[A-Za-z0-9._~-]+$/;

/** The outbound credentials of a hook, as stored (encrypted) in the endpoint's `auth` field. */
export type GenericAuth =
  | { authType: 'none' }
  | { authType: 'basic'; userName: string; password: string }
  | { authType: 'bearer' | 'authheader'; token: string }
  | { authType: 'header'; token: string; headerName: string }
  | { authType: 'querystring'; token: string; queryParam: string };

/** zod's type issue in the provider's words: a missing (or null) required field "is required". */
function typeRule(field: string, type: string) {
  return { error: (issue: { input?: unknown }) => (issue.input == null ? `${field} is required` : `${field} must be a ${type}`) };
}

const optionalText = (field: string) => z.string(typeRule(field, 'string')).nullish();

/**
 * Rules 1–5 of the provider's order (docs/plugins/generic.md): the body is an object, has no
 * unknown field, each field has its type, then `endpoint` and `authType` are given. A JSON null
 * counts as "not provided", as most clients send null for unused fields.
 */
const GenericWebhookFields = z
  .strictObject(
    {
      isAlertHook: z
        .boolean(typeRule('isAlertHook', 'boolean'))
        .nullish()
        .meta({ default: false, description: 'true = the alert hook (receives `alert.*` events); false = the data hook (every other event)' }),
      userName: optionalText('userName').meta({ description: 'Required when authType is basic; refused otherwise. Must not contain a colon.' }),
      password: optionalText('password').meta({ description: 'Required when authType is basic; refused otherwise.' }),
      token: optionalText('token').meta({ description: 'Required when authType is querystring, authheader, header or bearer; refused otherwise. Printable ASCII.' }),
      headerName: optionalText('headerName').meta({ default: DEFAULT_HEADER_NAME, description: 'Header that carries the token; only with authType header.' }),
      queryParam: optionalText('queryParam').meta({
        default: DEFAULT_QUERY_PARAM,
        pattern: QUERY_PARAM.source,
        description: 'Query parameter that carries the token; only with authType querystring.',
      }),
      // The rest of the URL policy (http(s), no user:password@, allowed destination) is the core's, applied by the service.
      endpoint: z
        .string(typeRule('endpoint', 'string'))
        .max(MAX_URL_LENGTH, `endpoint must be at most ${MAX_URL_LENGTH} characters`)
        .meta({ format: 'uri', example: 'https://example.com/webhook', description: 'http(s) URL that receives the POSTs' }),
      authType: z
        .enum(AUTH_TYPES, { error: (issue) => (issue.input == null ? 'authType is required' : `authType must be one of ${AUTH_TYPES.join(', ')}`) })
        .meta({ example: 'bearer' }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `property ${issue.keys[0]} should not exist` : 'body must be a JSON object') },
  )
  .refine((body) => body.authType === 'none' || body.token == null || (body.userName == null && body.password == null), 'provide either userName and password or token, not both');

/** A field this authType does not take: absent or null, and then not stored. */
const refused = (message: string) =>
  z
    .null({ error: message })
    .optional()
    .transform(() => undefined);
const refusedWith = (field: string, authType: AuthType) => refused(`${field} must not be provided when authType is ${authType}`);
const headerNameRefused = refused('headerName must only be provided when authType is header');
const queryParamRefused = refused('queryParam must only be provided when authType is querystring');

const credential = (field: 'userName' | 'password') =>
  z
    .string({ error: `${field} is required when authType is basic` })
    .min(1, `${field} must not be empty`)
    .refine((value) => !CONTROL_CHARACTER.test(value), `${field} must not contain control characters`);

/**
 * A token authType's credential rules. A token travels verbatim in a header or (encoded) in the
 * URL: printable ASCII is what both carry safely.
 */
const tokenFor = (authType: AuthType) => ({
  userName: refusedWith('userName', authType),
  password: refusedWith('password', authType),
  token: z
    .string({ error: `token is required when authType is ${authType}` })
    .min(1, 'token must not be empty')
    .regex(PRINTABLE_ASCII, 'token must contain only printable ASCII characters'),
});

/** The SDK's custom-header rule, in this surface's words; absent = `X-Api-Key`. */
const headerName = z
  .string()
  .nullish()
  .transform((name) => name ?? DEFAULT_HEADER_NAME)
  .superRefine((name, ctx) => {
    const [issue] = customHeaderIssues({ [name]: '' });
    if (!issue) return;
    const message =
      issue.code === 'header_name'
        ? 'headerName must be a valid HTTP header name'
        : GATEWAY_HEADERS.includes(name.toLowerCase())
          ? `headerName must not be one of ${GATEWAY_HEADERS.join(', ')}`
          : 'headerName must not be a hop-by-hop header or a webhook-* header';
    ctx.addIssue({ code: 'custom', message });
  });

const queryParam = z
  .string()
  .regex(QUERY_PARAM, 'queryParam must contain only letters, digits and . _ ~ -')
  .nullish()
  .transform((name) => name ?? DEFAULT_QUERY_PARAM);

/** One authType's rules (6–10 of the provider's order), its fields in the order they are reported. */
function hookOf<A extends AuthType, Rules extends z.ZodRawShape>(authType: A, rules: Rules) {
  return z.object({ isAlertHook: z.boolean().nullish(), endpoint: z.string(), authType: z.literal(authType), ...rules });
}

const GenericHook = z.discriminatedUnion('authType', [
  hookOf('none', {
    userName: refusedWith('userName', 'none'),
    password: refusedWith('password', 'none'),
    token: refusedWith('token', 'none'),
    headerName: headerNameRefused,
    queryParam: queryParamRefused,
  }),
  hookOf('basic', {
    headerName: headerNameRefused,
    queryParam: queryParamRefused,
    userName: credential('userName'),
    password: credential('password'),
    token: refusedWith('token', 'basic'),
  }).refine((hook) => !hook.userName.includes(':'), { path: ['userName'], message: 'userName must not contain a colon (HTTP Basic joins userName and password with one)' }),
  hookOf('bearer', { headerName: headerNameRefused, queryParam: queryParamRefused, ...tokenFor('bearer') }),
  hookOf('authheader', { headerName: headerNameRefused, queryParam: queryParamRefused, ...tokenFor('authheader') }),
  hookOf('header', { queryParam: queryParamRefused, ...tokenFor('header'), headerName }),
  hookOf('querystring', { headerName: headerNameRefused, ...tokenFor('querystring'), queryParam }).superRefine((hook, ctx) => {
    // An unparsable URL is the service's to report, in the core's URL policy.
    if (URL.canParse(hook.endpoint) && new URL(hook.endpoint).searchParams.has(hook.queryParam)) {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: `endpoint must not already contain the query parameter ${hook.queryParam} when authType is querystring` });
    }
  }),
]);

/** The hook as stored: its kind, its URL, and only the credential fields its authType takes. */
function toHookInput({ isAlertHook, endpoint, ...auth }: z.output<typeof GenericHook>): { isAlertHook: boolean; endpoint: string; auth: GenericAuth } {
  return { isAlertHook: isAlertHook === true, endpoint, auth };
}

/** `POST`/`PUT /generic/webhooks`, validated in the provider's order and typed as the hook to store. */
export const GenericWebhookRequest = schema('GenericWebhookRequestDto', GenericWebhookFields.pipe(GenericHook).transform(toHookInput));
export type GenericWebhookInput = Infer<typeof GenericWebhookRequest>;

/** `DELETE /generic/webhooks?isAlertHook=true|false` (absent = the data hook, as in the body). */
export const IsAlertHookQuery = schema(
  'IsAlertHookQuery',
  z
    .enum(['true', 'false'], { error: 'isAlertHook must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
);

export const GenericMessage = schema('GenericMessageDto', z.object({ message: z.string().meta({ example: 'Webhook created successfully' }) }), { io: 'output' });

const masked = (description: string) => z.string().optional().meta({ example: MASKED_VALUE, description });

/** One hook as `GET /generic/webhooks` shows it: credentials masked, never returned. */
export const GenericWebhook = schema(
  'GenericWebhookDto',
  z.object({
    id: z.string().meta({ example: '0192f0c4-8a3e-7c1a-9d1e-2b4f6a8c0e12', description: 'Endpoint id in the unified /v1 API (deliveries, signing secret)' }),
    isAlertHook: z.boolean(),
    endpoint: z.string().meta({ example: 'https://example.com/webhook' }),
    authType: z.enum(AUTH_TYPES),
    userName: masked('Masked; present for basic'),
    password: masked('Masked; present for basic'),
    token: masked('Masked; present for token types'),
    headerName: z.string().optional().meta({ example: DEFAULT_HEADER_NAME }),
    queryParam: z.string().optional().meta({ example: DEFAULT_QUERY_PARAM }),
    enabled: z.boolean(),
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  }),
  { io: 'output' },
);
export type GenericWebhookView = Infer<typeof GenericWebhook>;

export const GenericWebhookList = schema('GenericWebhookListDto', z.object({ data: z.array(GenericWebhook.zod) }), { io: 'output' });
