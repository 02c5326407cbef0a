import { existsSync, readFileSync } from 'node:fs';
import { isPostgres, rawRows } from '../fixtures/raw-db';
import { useGateway } from '../support/fixture';

describe('encryption at rest: secrets and custom headers are never stored in clear', () => {
  const gw = useGateway();
  const clear: string[] = [];
  beforeAll(async () => {
    const token = gw.token({ scope: 'webhooks:write' });
    for (let i = 0; i < 3; i++) {
      const headerValue = `Bearer downstream-credential-${i}-${Date.now()}`;
      const created = await gw.request('POST', '/v1/webhooks', { url: `https://example.com/enc/${i}`, headers: { Authorization: headerValue, 'X-Api-Token': `tok-${i}-zyxwvut` } }, { token });
      expect(created.status).toBe(201);
      const rotated = await gw.request('POST', `/v1/webhooks/${created.body.id}/rotate-secret`, undefined, { token });
      clear.push(headerValue, `tok-${i}-zyxwvut`, created.body.secret, rotated.body.secret);
    }
    // No checkpoint needed: in WAL mode a commit has written its pages to the -wal file, which the test reads
    // too (a checkpoint on the gateway's busy connection can fail with SQLITE_LOCKED).
  });

  const needles = (): string[] => clear.flatMap((value) => [value, value.replace(/^whsec_/, '')]);

  it('the stored endpoint rows hold only ciphertext', async () => {
    const rows = await rawRows(gw, 'endpoints');
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      // v2.<key id>.<ciphertext>: the id names the key that sealed the value
      expect(String(row.secrets_enc)).toMatch(/^v2\.[0-9a-f]{8}\./);
      expect(String(row.headers_enc)).toMatch(/^v2\.[0-9a-f]{8}\./);
    }
    const dump = JSON.stringify(rows);
    for (const value of needles()) expect(dump).not.toContain(value);
  });

  it('the raw SQLite file and its WAL contain none of the values', () => {
    if (isPostgres()) return;
    const file = gw.databaseUrl.slice('sqlite://'.length);
    const images = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f));
    expect(images.length).toBeGreaterThan(0);
    expect(images.some((bytes) => bytes.includes('example.com/enc/0'))).toBe(true);
    for (const bytes of images) for (const value of needles()) expect(bytes.includes(value)).toBe(false);
  });
});
