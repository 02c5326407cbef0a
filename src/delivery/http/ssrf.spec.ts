import dns from 'node:dns';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { request } from 'undici';
import {
  checkUrlLiteral,
  classifyAddress,
  compileSsrfPolicy,
  createGuardedAgent,
  createGuardedLookup,
  DestinationDeniedError,
  isDestinationDenied,
  SsrfPolicy,
} from './ssrf';

// Only loopback is ever resolved or connected to here; every other range is judged on paper.
const DEFAULT_POLICY: SsrfPolicy = { allowPrivateNetworks: false, allowedCidrs: [] };
const ALLOW_PRIVATE: SsrfPolicy = { allowPrivateNetworks: true, allowedCidrs: [] };

/** `null` = allowed; a string = denied with a reason containing it. */
const ADDRESS_TABLE: Array<[string, string | null]> = [
  // IPv4 special-purpose ranges
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.168.0.1', 'private'],
  ['192.168.255.255', 'private'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.254', 'carrierGradeNat'],
  ['169.254.169.254', 'linkLocal'],
  ['169.254.0.1', 'linkLocal'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['250.1.2.3', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.51.100.7', 'reserved'],
  ['203.0.113.9', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.254', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['192.88.99.1', 'reserved'],
  // IPv4 public unicast, including the neighbours of denied ranges
  ['8.8.8.8', null],
  ['1.1.1.1', null],
  ['93.184.216.34', null],
  ['9.255.255.255', null],
  ['11.0.0.1', null],
  ['126.255.255.255', null],
  ['128.0.0.1', null],
  ['172.15.255.255', null],
  ['172.32.0.1', null],
  ['100.63.255.255', null],
  ['100.128.0.1', null],
  ['169.253.255.255', null],
  ['192.167.255.255', null],
  ['198.17.255.255', null],
  ['198.20.0.1', null],
  ['223.255.255.255', null],
  // IPv6 special-purpose ranges
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['fe80::1', 'linkLocal'],
  ['fe80::1%eth0', 'linkLocal'],
  ['febf:ffff::1', 'linkLocal'],
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456:789a::1', 'uniqueLocal'],
  ['fec0::1', 'deprecatedSiteLocal'],
  ['100::1', 'discard'],
  ['2001::1', 'teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
  ['2001:db8::1', 'reserved'],
  ['3fff::1', 'reserved'],
  ['2001:2::1', 'benchmarking'],
  ['2001:10::1', 'Orchid'],
  ['2001:20::1', 'orchid2'],
  ['::ffff:0:7f00:1', 'rfc6145'],
  ['5f00::1', 'segmentRouting'],
  ['4000::1', 'outside global unicast'],
  ['::1:0:0:1', 'outside global unicast'],
  // IPv6 public unicast
  ['2606:4700:4700::1111', null],
  ['2001:4860:4860::8888', null],
  ['2a00:1450:4001:81b::200e', null],
  ['2400:cb00::1', null],
  // IPv6 forms that embed a denied IPv4 address
  ['::ffff:127.0.0.1', 'loopback (127.0.0.1 embedded in IPv4-mapped'],
  ['::ffff:7f00:1', 'loopback (127.0.0.1 embedded in IPv4-mapped'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'linkLocal'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['::127.0.0.1', 'loopback (127.0.0.1 embedded in IPv4-compatible'],
  ['::10.0.0.1', 'private'],
  ['::0.0.0.2', 'unspecified'],
  ['::0.0.0.1', 'loopback (::0.0.0.1)'], // this spelling is ::1 itself
  ['64:ff9b::127.0.0.1', 'loopback (127.0.0.1 embedded in NAT64'],
  ['64:ff9b::a9fe:a9fe', 'linkLocal (169.254.169.254 embedded in NAT64'],
  ['64:ff9b:1::10.0.0.1', 'private (10.0.0.1 embedded in NAT64 local-use'],
  ['2002:7f00:1::', 'loopback (127.0.0.1 embedded in 6to4'],
  ['2002:c0a8:101::1', 'private (192.168.1.1 embedded in 6to4'],
  ['2002:a9fe:a9fe:1::1', 'linkLocal'],
  // IPv6 forms that embed a public IPv4 address
  ['::ffff:8.8.8.8', null],
  ['::ffff:808:808', null],
  ['::8.8.8.8', null],
  ['64:ff9b::1.1.1.1', null],
  ['64:ff9b:1::8.8.8.8', null],
  ['2002:808:808::1', null],
  // Not canonical IP addresses: never what a socket connects to, so never allowed
  ['localhost', 'not an IP address'],
  ['127.1', 'not an IP address'],
  ['0x7f000001', 'not an IP address'],
  ['', 'not an IP address'],
];

describe('classifyAddress', () => {
  test.each(ADDRESS_TABLE)('%s → %s', (ip, deniedAs) => {
    const verdict = classifyAddress(ip, DEFAULT_POLICY);
    if (deniedAs === null) {
      expect(verdict).toEqual({ allowed: true });
    } else {
      expect(verdict.allowed).toBe(false);
      expect(!verdict.allowed && verdict.reason).toContain(deniedAs);
    }
  });

  test('allowPrivateNetworks allows every address, but still only addresses', () => {
    for (const [ip, deniedAs] of ADDRESS_TABLE) {
      const expected = deniedAs === 'not an IP address' ? false : true;
      expect(classifyAddress(ip, ALLOW_PRIVATE).allowed).toBe(expected);
    }
  });

  describe('allowedCidrs', () => {
    const policy = compileSsrfPolicy({
      allowPrivateNetworks: false,
      allowedCidrs: ['10.1.0.0/16', 'fd00::/8', '169.254.169.254/32', '::ffff:192.168.0.0/112'],
    });

    test.each<[string, boolean]>([
      ['10.1.2.3', true],
      ['10.1.255.255', true],
      ['10.2.0.1', false],
      ['::ffff:10.1.2.3', true], // matched after unwrapping the embedded IPv4
      ['64:ff9b::10.1.0.5', true],
      ['2002:a01:203::1', true],
      ['fd12::1', true],
      ['fc00::1', false],
      ['169.254.169.254', true],
      ['169.254.169.253', false],
      ['::ffff:192.168.1.1', true], // matched on the raw IPv6 address
      ['192.168.1.1', false],
      ['127.0.0.1', false],
      ['8.8.8.8', true],
    ])('%s → allowed=%s', (ip, allowed) => {
      expect(classifyAddress(ip, policy).allowed).toBe(allowed);
    });

    test('an uncompiled policy gives the same answers', () => {
      expect(classifyAddress('10.1.2.3', { allowPrivateNetworks: false, allowedCidrs: ['10.1.0.0/16'] })).toEqual({ allowed: true });
      expect(classifyAddress('10.2.0.1', { allowPrivateNetworks: false, allowedCidrs: ['10.1.0.0/16'] }).allowed).toBe(false);
    });

    test.each(['not-a-cidr', '10.0.0.1', '10.0.0.0/33', '010.0.0.0/8', '0xa.0.0.0/8', 'fd00::/129'])('rejects malformed entry %s', (cidr) => {
      expect(() => compileSsrfPolicy({ allowPrivateNetworks: false, allowedCidrs: [cidr] })).toThrow(`invalid CIDR in allowedCidrs: ${cidr}`);
    });
  });
});

describe('checkUrlLiteral', () => {
  test.each<[string, string | null]>([
    ['http://127.0.0.1/', 'loopback (127.0.0.1)'],
    ['http://2130706433/', 'loopback (127.0.0.1)'],
    ['http://0x7f.1/', 'loopback (127.0.0.1)'],
    ['http://0x7f000001/', 'loopback (127.0.0.1)'],
    ['http://0177.0.0.1/', 'loopback (127.0.0.1)'],
    ['http://127.1/', 'loopback (127.0.0.1)'],
    ['http://127.0.0.1./', 'loopback (127.0.0.1)'],
    ['http://0/', 'unspecified (0.0.0.0)'],
    ['https://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://0xa9fea9fe/', 'linkLocal (169.254.169.254)'],
    ['http://012.0.0.1:8080/hook', 'private (10.0.0.1)'],
    ['http://[::1]:8080/x', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback (127.0.0.1 embedded in IPv4-mapped'],
    ['http://[::127.0.0.1]/', 'loopback (127.0.0.1 embedded in IPv4-compatible'],
    ['http://[64:ff9b::169.254.169.254]/', 'linkLocal'],
    ['http://[2002:7f00:1::]/', 'loopback'],
    ['http://[fd00::1]/', 'uniqueLocal'],
    ['not a url', 'invalid URL'],
    ['http://8.8.8.8/hook', null],
    ['http://134744072/', null],
    ['http://[2606:4700:4700::1111]/', null],
    ['http://[::ffff:8.8.8.8]/', null],
    ['https://example.com/hook', null],
    ['http://localhost:3000/', null], // names are judged when they resolve
    ['http://internal.corp/', null],
  ])('%s → %s', (url, deniedAs) => {
    const verdict = checkUrlLiteral(url, DEFAULT_POLICY);
    if (deniedAs === null) {
      expect(verdict).toEqual({ allowed: true });
    } else {
      expect(verdict.allowed).toBe(false);
      expect(!verdict.allowed && verdict.reason).toContain(deniedAs);
    }
  });

  test('allowPrivateNetworks and allowedCidrs apply to literals', () => {
    expect(checkUrlLiteral('http://2130706433/', ALLOW_PRIVATE)).toEqual({ allowed: true });
    expect(checkUrlLiteral('http://0x0a.1.0.1/', { allowPrivateNetworks: false, allowedCidrs: ['10.1.0.0/16'] })).toEqual({ allowed: true });
    expect(checkUrlLiteral('http://[::ffff:10.1.0.1]/', { allowPrivateNetworks: false, allowedCidrs: ['10.1.0.0/16'] })).toEqual({ allowed: true });
  });
});

type LookupResult = { address: string | Array<{ address: string; family: number }>; family?: number };

function lookupOnce(policy: SsrfPolicy, hostname: string, options: { all?: boolean } = {}): Promise<LookupResult> {
  const lookup = createGuardedLookup(policy);
  return new Promise((resolve, reject) => {
    lookup(hostname, options, (err, address, family) => (err ? reject(err) : resolve({ address, family })));
  });
}

describe('createGuardedLookup (loopback only)', () => {
  test.each(['localhost', '127.0.0.1', '::1'])('denies %s by default', async (hostname) => {
    const err: unknown = await lookupOnce(DEFAULT_POLICY, hostname).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DestinationDeniedError);
    expect((err as Error).message).toBe('destination not allowed');
    expect((err as { code: string }).code).toBe('EDESTINATIONDENIED');
    expect((err as DestinationDeniedError).reason).toContain('loopback');
    expect(isDestinationDenied(err)).toBe(true);
  });

  test('with allowPrivateNetworks answers in the single-address shape', async () => {
    expect(await lookupOnce(ALLOW_PRIVATE, '127.0.0.1')).toEqual({ address: '127.0.0.1', family: 4 });
  });

  test('with allowPrivateNetworks answers in the all-addresses shape', async () => {
    expect(await lookupOnce(ALLOW_PRIVATE, '127.0.0.1', { all: true })).toEqual({ address: [{ address: '127.0.0.1', family: 4 }], family: undefined });
    const { address } = await lookupOnce(ALLOW_PRIVATE, 'localhost', { all: true });
    expect(Array.isArray(address) && address.length).toBeGreaterThan(0);
    for (const entry of address as Array<{ address: string }>) expect(['127.0.0.1', '::1']).toContain(entry.address);
  });

  test('allowedCidrs can open loopback alone', async () => {
    expect(await lookupOnce({ allowPrivateNetworks: false, allowedCidrs: ['127.0.0.0/8'] }, '127.0.0.1')).toEqual({ address: '127.0.0.1', family: 4 });
  });
});

// A fake resolver only for what loopback cannot show: answers mixing public and private addresses.
describe('createGuardedLookup (fake resolver)', () => {
  type FakeAnswer = Error | Array<{ address: string; family: number }>;

  function fakeResolver(answer: FakeAnswer): jest.SpyInstance {
    return jest.spyOn(dns, 'lookup').mockImplementation(((_hostname: string, _options: unknown, callback: (err: Error | null, addresses?: unknown) => void) => {
      process.nextTick(() => (answer instanceof Error ? callback(answer) : callback(null, answer)));
    }) as unknown as typeof dns.lookup);
  }

  afterEach(() => jest.restoreAllMocks());

  test('denies when any one of the addresses is denied', async () => {
    const resolver = fakeResolver([
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ]);
    const err: unknown = await lookupOnce(DEFAULT_POLICY, 'rebind.example').catch((e: unknown) => e);
    expect(isDestinationDenied(err)).toBe(true);
    expect(err).toMatchObject({ hostname: 'rebind.example', address: '10.0.0.7' });
    expect(resolver).toHaveBeenCalledWith('rebind.example', expect.objectContaining({ all: true }), expect.any(Function));
  });

  test('answers with every address, or the first, as asked', async () => {
    const addresses = [
      { address: '2606:4700:4700::1111', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ];
    fakeResolver(addresses);
    expect(await lookupOnce(DEFAULT_POLICY, 'public.example', { all: true })).toEqual({ address: addresses, family: undefined });
    expect(await lookupOnce(DEFAULT_POLICY, 'public.example')).toEqual({ address: '2606:4700:4700::1111', family: 6 });
  });

  test('passes resolver errors through untouched', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND missing.example'), { code: 'ENOTFOUND' });
    fakeResolver(notFound);
    const err: unknown = await lookupOnce(DEFAULT_POLICY, 'missing.example').catch((e: unknown) => e);
    expect(err).toBe(notFound);
    expect(isDestinationDenied(err)).toBe(false);
  });
});

describe('isDestinationDenied', () => {
  const denied = new DestinationDeniedError('localhost', '127.0.0.1', 'loopback (127.0.0.1)');

  test.each<[string, boolean, unknown]>([
    ['the error itself', true, denied],
    ['wrapped as cause', true, new Error('fetch failed', { cause: denied })],
    ['wrapped twice', true, new Error('outer', { cause: new Error('inner', { cause: denied }) })],
    ['inside an AggregateError', true, new AggregateError([new Error('ECONNREFUSED'), denied])],
    ['a plain object carrying the code', true, { code: 'EDESTINATIONDENIED' }],
    ['another error', false, new Error('connect ECONNREFUSED 127.0.0.1:1')],
    ['null', false, null],
    ['a string', false, 'destination not allowed'],
  ])('%s → %s', (_label, expected, err) => {
    expect(isDestinationDenied(err)).toBe(expected);
  });
});

describe('createGuardedAgent', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test.each(['127.0.0.1', 'localhost'])('default policy refuses http://%s before connecting', async (host) => {
    const agent = createGuardedAgent(DEFAULT_POLICY);
    const before = connections;
    try {
      const err: unknown = await request(`http://${host}:${port}/`, { dispatcher: agent }).catch((e: unknown) => e);
      expect(isDestinationDenied(err)).toBe(true);
      expect((err as Error).message).toBe('destination not allowed');
      expect(connections).toBe(before);
    } finally {
      await agent.close();
    }
  });

  test('allowPrivateNetworks lets the request through', async () => {
    const agent = createGuardedAgent(ALLOW_PRIVATE, { connections: 2, keepAliveTimeoutMs: 1000 });
    try {
      const res = await request(`http://127.0.0.1:${port}/`, { dispatcher: agent });
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('ok');
    } finally {
      await agent.close();
    }
  });
});
