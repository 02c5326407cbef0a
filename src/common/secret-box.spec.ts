import { createCipheriv, randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const newKey = () => randomBytes(32).toString('base64');

/** A value in the format written before key ids existed: `v1.` + base64(iv ‖ tag ‖ ciphertext). */
function sealV1(base64Key: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(base64Key, 'base64'), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

describe('SecretBox: AES-256-GCM values that name their key', () => {
  const [oldKey, newerKey] = [newKey(), newKey()];

  it('seals under the current key, naming it, and opens what it sealed', () => {
    const box = new SecretBox(newerKey, [oldKey]);
    const sealed = box.seal({ token: 'abc' });
    expect(sealed.startsWith(`v2.${box.keyId}.`)).toBe(true);
    expect(box.isCurrent(sealed)).toBe(true);
    expect(box.open(sealed)).toEqual({ token: 'abc' });
  });

  it('opens a value of a previous key by its id, and reports it as not current', () => {
    const sealed = new SecretBox(oldKey).seal(['s1']);
    const rotated = new SecretBox(newerKey, [oldKey]);
    expect(rotated.isCurrent(sealed)).toBe(false);
    expect(rotated.open(sealed)).toEqual(['s1']);
  });

  it('opens v1 values (no key id) with whichever key made them', () => {
    const rotated = new SecretBox(newerKey, [oldKey]);
    expect(rotated.open(sealV1(oldKey, 'legacy'))).toBe('legacy');
    expect(rotated.open(sealV1(newerKey, 'legacy too'))).toBe('legacy too');
    expect(rotated.isCurrent(sealV1(newerKey, 'x'))).toBe(false);
  });

  it('names the missing key when a value was sealed with a key it no longer has, and never prints a key', () => {
    const sealed = new SecretBox(oldKey).seal('x');
    const oldId = new SecretBox(oldKey).keyId;
    const open = () => new SecretBox(newerKey).open(sealed);
    expect(open).toThrow(`sealed with encryption key ${oldId}, which is neither HOOKGATE_ENCRYPTION_KEY nor in HOOKGATE_ENCRYPTION_KEY_PREVIOUS`);
    expect(() => new SecretBox(newerKey).open(sealV1(oldKey, 'x'))).toThrow('opens with none of HOOKGATE_ENCRYPTION_KEY and HOOKGATE_ENCRYPTION_KEY_PREVIOUS');
    try {
      open();
    } catch (err) {
      expect(String(err)).not.toContain(oldKey);
    }
  });

  it('refuses a key that is not 32 bytes, naming the variable', () => {
    expect(() => new SecretBox(newerKey, ['c2hvcnQ='])).toThrow('HOOKGATE_ENCRYPTION_KEY_PREVIOUS must be 32 bytes, base64 encoded');
  });
});
