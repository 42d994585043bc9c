import { createHash } from 'node:crypto';

/**
 * HMAC-SHA256 built from the RFC 2104 construction over plain SHA-256, so the tests check
 * the core's `createHmac` use against something that does not share its code path.
 */
export function referenceHmacSha256(key: Uint8Array, message: Uint8Array): Buffer {
  const blockSize = 64;
  let block = Buffer.from(key);
  if (block.length > blockSize) block = createHash('sha256').update(block).digest();
  block = Buffer.concat([block, Buffer.alloc(blockSize - block.length)]);
  const inner = createHash('sha256')
    .update(block.map((byte) => byte ^ 0x36))
    .update(message)
    .digest();
  return createHash('sha256')
    .update(block.map((byte) => byte ^ 0x5c))
    .update(inner)
    .digest();
}
