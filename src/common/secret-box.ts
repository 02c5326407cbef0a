import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest. Format: `v2.<key id>.` + base64(iv ‖ tag ‖ ciphertext), where
 * the key id (8 hex digits of the key's SHA-256) names the key that sealed the value, so opening
 * picks its key without trial and `hookgate rekey` knows what is already under the current key.
 * Values of the older `v1.` format carry no key id: they are tried with each key in turn.
 */
export class SecretBox {
  private readonly currentId: string;
  /** Every key that may open a value, the current one first. */
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: string, previousKeys: readonly string[] = []) {
    this.currentId = this.addKey(currentKey, 'HOOKGATE_ENCRYPTION_KEY');
    for (const key of previousKeys) this.addKey(key, 'HOOKGATE_ENCRYPTION_KEY_PREVIOUS');
  }

  /** The current key's id (not secret: a fingerprint that cannot give the key back). */
  get keyId(): string {
    return this.currentId;
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `v2.${this.currentId}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open<T>(sealed: string): T {
    const { keyId, raw } = parse(sealed);
    if (keyId === null) return this.openLegacy(raw);
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`a stored secret was sealed with encryption key ${keyId}, which is neither HOOKGATE_ENCRYPTION_KEY nor in HOOKGATE_ENCRYPTION_KEY_PREVIOUS`);
    return decrypt(key, raw);
  }

  /** True when `sealed` was made with the current key, i.e. re-sealing it would change nothing. */
  isCurrent(sealed: string): boolean {
    return parse(sealed).keyId === this.currentId;
  }

  private openLegacy<T>(raw: Buffer): T {
    for (const key of this.keys.values()) {
      try {
        return decrypt(key, raw);
      } catch {
        // GCM's tag check failed: not this key, try the next
      }
    }
    throw new Error('a stored secret opens with none of HOOKGATE_ENCRYPTION_KEY and HOOKGATE_ENCRYPTION_KEY_PREVIOUS');
  }

  private addKey(base64Key: string, variable: string): string {
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== 32) throw new Error(`${variable} must be 32 bytes, base64 encoded`);
    const id = createHash('sha256').update(key).digest('hex').slice(0, 8);
    if (!this.keys.has(id)) this.keys.set(id, key);
    return id;
  }
}

function parse(sealed: string): { keyId: string | null; raw: Buffer } {
  const v2 = /^v2\.([0-9a-f]{8})\.(.*)$/s.exec(sealed);
  if (v2) return { keyId: v2[1], raw: Buffer.from(v2[2], 'base64') };
  if (sealed.startsWith('v1.')) return { keyId: null, raw: Buffer.from(sealed.slice(3), 'base64') };
  throw new Error('a stored secret is in no known format');
}

function decrypt<T>(key: Buffer, raw: Buffer): T {
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
}
