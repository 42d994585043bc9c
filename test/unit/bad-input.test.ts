import { receive, sign, VENDORS, type HeaderMap, type Receipt } from '../../shared';

const convo = VENDORS.convo;
const SECRET = 'convo-whsec-1';
const valid = Buffer.from(JSON.stringify(convo.events['transcript.ready'].sample));
const signatureOf = (body: Uint8Array, secret = SECRET) => sign(convo.signature, body, secret);
const goodHex = signatureOf(valid);
const goodBase64 = Buffer.from(goodHex, 'hex').toString('base64');

interface Case {
  name: string;
  body: Buffer;
  headers: HeaderMap;
  secrets?: string[];
  options?: { verification?: 'disabled'; maxBodyBytes?: number; signatureHeader?: string };
  expected: Partial<Record<'ok' | 'status' | 'reason' | 'verified', unknown>> & { type?: string; rawType?: string | null };
  issues?: RegExp[];
}

const signed = (body: Buffer, extra: HeaderMap = {}): HeaderMap => ({ 'x-convo-signature': signatureOf(body), ...extra });
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const rejected = (status: number, reason: string) => ({ ok: false, status, reason });
const accepted = (type: string) => ({ ok: true, verified: true, type });
const drifted = json({ event: 'transcript.ready', data: { segmentCount: 'many' }, timestamp: 'now' });
const noEventField = json({ data: { conversationId: 'c1' }, timestamp: 'now' });
const protoBody = Buffer.from('{"event":"conversation.created","data":{"conversationId":"c","__proto__":{"polluted":true}},"timestamp":"t"}');
const escapedProto = Buffer.from('{"event":"conversation.created","data":{"conversationId":"c"},"\\u005f_proto__":{"polluted":true},"timestamp":"t"}');
const constructorBody = json({ event: 'conversation.created', data: { conversationId: 'c', constructor: { prototype: { polluted: true } } }, timestamp: 't' });
const nonCanonicalBase64 = `${goodBase64.slice(0, 42)}${String.fromCharCode(goodBase64.charCodeAt(42) + 1)}=`;
const deep = Buffer.from(`{"event":"x","data":${'['.repeat(50_000)}${']'.repeat(50_000)}}`);

const CASES: Case[] = [
  { name: 'no signature header', body: valid, headers: {}, expected: rejected(401, 'missing_signature') },
  { name: 'empty signature header', body: valid, headers: { 'x-convo-signature': '' }, expected: rejected(401, 'malformed_signature') },
  { name: 'blank signature header', body: valid, headers: { 'x-convo-signature': '   ' }, expected: rejected(401, 'malformed_signature') },
  { name: 'junk after a valid hex digest', body: valid, headers: { 'x-convo-signature': `${goodHex}abc` }, expected: rejected(401, 'malformed_signature') },
  { name: 'two digests joined by a comma', body: valid, headers: { 'x-convo-signature': `${goodHex}, ${goodHex}` }, expected: rejected(401, 'malformed_signature') },
  { name: 'header sent twice', body: valid, headers: { 'x-convo-signature': [goodHex, goodHex] }, expected: rejected(401, 'malformed_signature') },
  { name: 'same header in two spellings', body: valid, headers: { 'x-convo-signature': goodHex, 'X-Convo-Signature': goodHex }, expected: rejected(401, 'malformed_signature') },
  { name: '63 hex characters', body: valid, headers: { 'x-convo-signature': goodHex.slice(1) }, expected: rejected(401, 'malformed_signature') },
  { name: '65 hex characters', body: valid, headers: { 'x-convo-signature': `${goodHex}0` }, expected: rejected(401, 'malformed_signature') },
  { name: 'non-hex character in 64', body: valid, headers: { 'x-convo-signature': `${goodHex.slice(0, 63)}g` }, expected: rejected(401, 'malformed_signature') },
  { name: 'base64 without padding', body: valid, headers: { 'x-convo-signature': goodBase64.slice(0, 43) }, expected: rejected(401, 'malformed_signature') },
  { name: 'base64 with non-canonical trailing bits', body: valid, headers: { 'x-convo-signature': nonCanonicalBase64 }, expected: rejected(401, 'malformed_signature') },
  { name: 'base64url alphabet', body: valid, headers: { 'x-convo-signature': goodBase64.replace(/\+/g, '-').replace(/\//g, '_').replace(/^[A-Za-z0-9]/, '-') }, expected: rejected(401, 'malformed_signature') },
  { name: 'sha1= prefix', body: valid, headers: { 'x-convo-signature': `sha1=${goodHex}` }, expected: rejected(401, 'malformed_signature') },
  { name: 'prefix without digest', body: valid, headers: { 'x-convo-signature': 'sha256=' }, expected: rejected(401, 'malformed_signature') },
  { name: 'very long header value', body: valid, headers: { 'x-convo-signature': goodHex.repeat(2000) }, expected: rejected(401, 'malformed_signature') },
  { name: 'signature of another body', body: valid, headers: { 'x-convo-signature': signatureOf(json({ other: true })) }, expected: rejected(401, 'signature_mismatch') },
  { name: 'signed with a wrong secret', body: valid, headers: { 'x-convo-signature': signatureOf(valid, 'not-the-secret') }, expected: rejected(401, 'signature_mismatch') },
  { name: 'stale secret after rotation finished', body: valid, headers: { 'x-convo-signature': signatureOf(valid, 'old') }, secrets: ['new'], expected: rejected(401, 'signature_mismatch') },
  { name: 'body tampered by one byte', body: Buffer.from(valid.toString().replace('128', '129')), headers: { 'x-convo-signature': goodHex }, expected: rejected(401, 'signature_mismatch') },
  { name: 'body re-serialized with a trailing newline', body: Buffer.concat([valid, Buffer.from('\n')]), headers: { 'x-convo-signature': goodHex }, expected: rejected(401, 'signature_mismatch') },
  { name: 'body re-serialized with indentation', body: Buffer.from(JSON.stringify(JSON.parse(valid.toString()), null, 2)), headers: { 'x-convo-signature': goodHex }, expected: rejected(401, 'signature_mismatch') },
  { name: 'no secret configured', body: valid, headers: { 'x-convo-signature': goodHex }, secrets: [], expected: rejected(401, 'no_secret') },
  { name: 'signature under another header than configured', body: valid, headers: { 'x-convo-signature': goodHex }, options: { signatureHeader: 'X-Other' }, expected: rejected(401, 'missing_signature') },
  { name: 'oversized body, unsigned', body: Buffer.alloc(2048, 0x20), headers: {}, options: { maxBodyBytes: 1024 }, expected: rejected(413, 'body_too_large') },
  { name: 'signed empty body', body: Buffer.alloc(0), headers: signed(Buffer.alloc(0)), expected: rejected(400, 'empty_body') },
  { name: 'signed invalid JSON', body: Buffer.from('{"event":'), headers: signed(Buffer.from('{"event":')), expected: rejected(400, 'invalid_json') },
  { name: 'signed whitespace only', body: Buffer.from('  \n'), headers: signed(Buffer.from('  \n')), expected: rejected(400, 'invalid_json') },
  { name: 'signed JSON array', body: json([1, 2]), headers: signed(json([1, 2])), expected: rejected(400, 'not_an_object') },
  { name: 'signed JSON string', body: json('hello'), headers: signed(json('hello')), expected: rejected(400, 'not_an_object') },
  { name: 'signed JSON null', body: json(null), headers: signed(json(null)), expected: rejected(400, 'not_an_object') },
  { name: 'signed invalid UTF-8', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: signed(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), expected: rejected(400, 'invalid_utf8') },
  { name: 'valid delivery, hex', body: valid, headers: { 'x-convo-signature': goodHex }, expected: accepted('transcript.ready'), issues: [] },
  { name: 'valid delivery, upper-case hex', body: valid, headers: { 'x-convo-signature': goodHex.toUpperCase() }, expected: accepted('transcript.ready'), issues: [] },
  { name: 'valid delivery, base64', body: valid, headers: { 'x-convo-signature': goodBase64 }, expected: accepted('transcript.ready'), issues: [] },
  { name: 'old secret during rotation', body: valid, headers: { 'x-convo-signature': signatureOf(valid, 'old') }, secrets: ['new', 'old'], expected: accepted('transcript.ready'), issues: [] },
  { name: 'signed body with a UTF-8 BOM', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), valid]), headers: signed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), valid])), expected: accepted('transcript.ready'), issues: [] },
  { name: 'schema drift is kept and flagged', body: drifted, headers: signed(drifted), expected: accepted('transcript.ready'), issues: [/^data\.conversationId: /, /^data\.segmentCount: /] },
  { name: 'unknown event type is kept', body: json({ event: 'conversation.archived', data: {} }), headers: signed(json({ event: 'conversation.archived', data: {} })), expected: { ok: true, type: 'unknown', rawType: 'conversation.archived' }, issues: [] },
  { name: 'event type from the X-Convo-Event header when the body has none', body: noEventField, headers: signed(noEventField, { 'x-convo-event': 'conversation.created' }), expected: accepted('conversation.created'), issues: [/^event: /] },
  { name: 'unsigned X-Convo-Event header cannot override the signed body', body: valid, headers: signed(valid, { 'x-convo-event': 'webhook.test' }), expected: accepted('transcript.ready'), issues: [/^X-Convo-Event: .*the body wins/] },
  { name: 'no event type anywhere', body: noEventField, headers: signed(noEventField), expected: { ok: true, type: 'unknown', rawType: null }, issues: [/^event: The body names no event type/] },
  { name: '__proto__ key is removed', body: protoBody, headers: signed(protoBody), expected: accepted('conversation.created'), issues: [/^data\.__proto__: /] },
  { name: 'escaped __proto__ key is removed', body: escapedProto, headers: signed(escapedProto), expected: accepted('conversation.created'), issues: [/^__proto__: /] },
  { name: 'constructor key is removed', body: constructorBody, headers: signed(constructorBody), expected: accepted('conversation.created'), issues: [/^data\.constructor: /] },
  { name: 'duplicate JSON keys: the last one counts, as in JSON.parse', body: Buffer.from('{"event":"webhook.test","event":"transcript.failed","data":{"conversationId":"c","error":"e"},"timestamp":"t"}'), headers: signed(Buffer.from('{"event":"webhook.test","event":"transcript.failed","data":{"conversationId":"c","error":"e"},"timestamp":"t"}')), expected: accepted('transcript.failed'), issues: [] },
  { name: 'deeply nested data is kept', body: deep, headers: signed(deep), expected: { ok: true, type: 'unknown', rawType: 'x' }, issues: [] },
  { name: 'verification disabled by an explicit choice', body: valid, headers: {}, options: { verification: 'disabled' }, expected: { ok: true, verified: false, type: 'transcript.ready' }, issues: [] },
];

function summary(receipt: Receipt<typeof convo>) {
  if (!receipt.ok) return { ok: false, status: receipt.status, reason: receipt.reason };
  const rawType = receipt.event.type === 'unknown' ? { rawType: receipt.event.rawType } : {};
  return { ok: true, verified: receipt.verified, type: receipt.event.type, ...rawType };
}

describe('bad-input table', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const receipt = receive(convo, c.body, c.headers, { secrets: c.secrets ?? [SECRET], ...c.options });
    expect(summary(receipt)).toEqual({ ...(c.expected.ok ? { verified: true } : {}), ...c.expected });
    if (!receipt.ok) {
      expect(receipt.message.length).toBeGreaterThan(10);
      return;
    }
    const messages = receipt.issues.map((issue) => `${issue.path}: ${issue.message}`);
    expect(messages).toHaveLength(c.issues?.length ?? 0);
    c.issues?.forEach((pattern, index) => expect(messages[index]).toMatch(pattern));
  });

  it('leaves no prototype polluted after the hostile cases', () => {
    for (const c of CASES) receive(convo, c.body, c.headers, { secrets: [SECRET] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const receipt = receive(convo, protoBody, signed(protoBody), { secrets: [SECRET] });
    if (!receipt.ok) throw new Error(receipt.message);
    const data = receipt.event.payload.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['conversationId']);
    expect({ ...data }.polluted).toBeUndefined();
  });
});
