import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signingKey, signingKeyProblem, standardSignature } from './signer';

describe('signing keys', () => {
  const sign = (secret: string) => {
    const [id, timestamp, body] = ['msg_1', Math.floor(Date.now() / 1000), '{"a":1}'];
    return { headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': standardSignature([secret], id, timestamp, body) }, body, id, timestamp };
  };

  it('a whsec_ secret is keyed by its base64 decoding, as standardwebhooks reads it', () => {
    const key = randomBytes(24);
    const secret = `whsec_${key.toString('base64')}`;
    const { headers, body, id, timestamp } = sign(secret);
    expect(headers['webhook-signature']).toBe(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ a: 1 });
  });

  it('any other secret is keyed by its UTF-8 bytes', () => {
    const secret = 'clé-choisie 123';
    const { headers, body, id, timestamp } = sign(secret);
    expect(headers['webhook-signature']).toBe(`v1,${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.${body}`).digest('base64')}`);
    // standardwebhooks reads a raw string one char code per byte: hand it the UTF-8 bytes.
    expect(new Webhook(new TextEncoder().encode(secret), { format: 'raw' }).verify(body, headers)).toEqual({ a: 1 });
  });

  it.each(['', 'whsec_', 'whsec_!!!!!!!!', 'whsec_YWJjZA', 'whsec_YWJj\nZA==', 'whsec_YW-_'])('refuses %j, which would not make a full, non-empty key', (secret) => {
    expect(signingKeyProblem(secret)).not.toBeNull();
    expect(() => signingKey(secret)).toThrow(/cannot sign/);
  });

  it.each(['whsec_AA==', 'whsec_YWJj', 'x', 'whsec-not-the-prefix'])('accepts %j', (secret) => {
    expect(signingKeyProblem(secret)).toBeNull();
    expect(signingKey(secret).length).toBeGreaterThan(0);
  });
});
