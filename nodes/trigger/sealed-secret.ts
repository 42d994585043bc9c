import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A one-time signing secret as it rests in static data, which n8n shows workflow viewers: sealed under the API key. */

/** Which trigger a sealed secret belongs to: a copy pasted into another workflow or node does not open. */
export interface SecretBinding {
  readonly workflowId: string;
  readonly nodeId: string;
  readonly subscriptionId: string;
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed and public: HKDF's salt separates our keys from any other use of the same API key. */
const SALT = Buffer.from('convhooks signing-secret seal v1');

function keyFor(apiKey: string, binding: SecretBinding): Buffer {
  const info = `${binding.workflowId}\n${binding.nodeId}`;
  return Buffer.from(hkdfSync('sha256', apiKey, SALT, info, 32));
}

/** Additional data: the subscription the secret came with, so two entries cannot be swapped. */
const additionalData = (binding: SecretBinding) => Buffer.from(`${binding.workflowId}\n${binding.nodeId}\n${binding.subscriptionId}`);

export function sealSecret(secret: string, apiKey: string, binding: SecretBinding): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(apiKey, binding), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(binding));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

/** The secret, or undefined when `sealed` is not ours or the key does not open it (the API key changed, or it was copied). */
export function openSecret(sealed: string, apiKey: string, binding: SecretBinding): string | undefined {
  const [format, iv, tag, data, ...rest] = sealed.split('.');
  if (format !== FORMAT || iv === undefined || tag === undefined || data === undefined || rest.length > 0) return undefined;
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(apiKey, binding), ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(binding));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // GCM refuses a wrong key or altered bytes in final(): that is the answer, not an error.
    return undefined;
  }
}
