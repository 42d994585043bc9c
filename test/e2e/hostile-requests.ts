import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { sign, VENDORS } from '../../shared';

export interface RawRequest {
  readonly method?: string;
  /** Header lines in order; a name may repeat, as on the wire. */
  readonly headers: [string, string][];
  readonly body: Buffer;
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** Sends exactly these bytes and header lines, which fetch would normalise. */
export function sendRaw(url: string, raw: RawRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    // Raw header lines get no defaults: Host and Content-Length are ours to send.
    const headers = ['host', target.host, ...raw.headers.flat(), 'content-length', String(raw.body.length)];
    const outgoing = request({ hostname: target.hostname, port: target.port, path: target.pathname, method: raw.method ?? 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // A server that refuses oversized headers answers 431 and closes; a client still sending sees a reset.
    outgoing.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve({ status: 0, body: 'connection reset' }) : reject(error)));
    outgoing.end(raw.body);
  });
}

export interface MatrixCase {
  readonly name: string;
  readonly vendor: 'konver' | 'convo';
  readonly request: (secret: string) => RawRequest;
  /** The HTTP answer: status (0: the server reset the connection) and, where it is ours, the error code in it. */
  readonly status: number | readonly number[];
  readonly error?: string;
  /** Whether an execution starts; `marker` finds it among the executions. */
  readonly runs: boolean;
  readonly marker?: string;
  /** What the run's item must show. */
  readonly item?: Record<string, unknown>;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const konver = VENDORS.konver;
const convo = VENDORS.convo;
const person = (marker: string, extra: Record<string, unknown> = {}) =>
  json({ ...konver.events['person.created'].sample, id: marker, ...extra });
const konverSig = (body: Buffer, secret: string) => sign(konver.signature, body, secret);
const jsonType: [string, string] = ['content-type', 'application/json'];

/** A Konver delivery: the given body, signed over `signedBody` (the same bytes unless tampered with). */
function konverRequest(body: Buffer, options: { signedBody?: Buffer; signature?: (hex: string) => string; extra?: [string, string][]; type?: string } = {}) {
  return (secret: string): RawRequest => {
    const hex = konverSig(options.signedBody ?? body, secret);
    const value = options.signature ? options.signature(hex) : hex;
    return { headers: [['content-type', options.type ?? 'application/json'], ['x-konver-signature', value], ...(options.extra ?? [])], body };
  };
}

const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

export function matrixCases(): MatrixCase[] {
  const cases: MatrixCase[] = [];
  const accepted = (name: string, marker: string, request: MatrixCase['request'], item?: Record<string, unknown>) =>
    cases.push({ name, vendor: 'konver', request, status: 200, runs: true, marker, item });
  const refused = (name: string, status: MatrixCase['status'], error: string | undefined, request: MatrixCase['request']) =>
    cases.push({ name, vendor: 'konver', request, status, error, runs: false });

  accepted('valid signature, lower-case hex', 'm-hex', konverRequest(person('m-hex')));
  accepted('valid signature, upper-case hex', 'm-upper', konverRequest(person('m-upper'), { signature: (hex) => hex.toUpperCase() }));
  accepted('valid signature, base64', 'm-base64', konverRequest(person('m-base64'), { signature: base64 }));
  accepted('valid signature with a sha256= prefix', 'm-prefix', konverRequest(person('m-prefix'), { signature: (hex) => `sha256=${hex}` }));
  accepted('valid signature padded with spaces', 'm-padded', konverRequest(person('m-padded'), { signature: (hex) => `  ${hex} ` }));
  refused('missing signature header', 401, 'missing_signature', (_secret) => ({ headers: [jsonType], body: person('r-missing') }));
  refused('empty signature header', 401, 'malformed_signature', konverRequest(person('r-empty'), { signature: () => '' }));
  refused('signature header sent twice', 401, 'malformed_signature', (secret) => {
    const body = person('r-twice');
    return { headers: [jsonType, ['x-konver-signature', konverSig(body, secret)], ['x-konver-signature', konverSig(body, secret)]], body };
  });
  refused('two signatures joined by a comma', 401, 'malformed_signature', konverRequest(person('r-comma'), { signature: (hex) => `${hex},${hex}` }));
  refused('junk after a valid hex digest', 401, 'malformed_signature', konverRequest(person('r-junk'), { signature: (hex) => `${hex}00` }));
  refused('digest one character short', 401, 'malformed_signature', konverRequest(person('r-short'), { signature: (hex) => hex.slice(1) }));
  refused('digest one character long', 401, 'malformed_signature', konverRequest(person('r-long'), { signature: (hex) => `${hex}a` }));
  refused('base64url alphabet', 401, 'malformed_signature', konverRequest(person('r-b64url'), { signature: (hex) => `-_${base64(hex).slice(2)}` }));
  refused('base64 without its padding', 401, 'malformed_signature', konverRequest(person('r-nopad'), { signature: (hex) => base64(hex).slice(0, 43) }));
  refused('sha1= prefix', 401, 'malformed_signature', konverRequest(person('r-sha1'), { signature: (hex) => `sha1=${hex}` }));
  refused('very long signature header (8 KB)', 401, 'malformed_signature', konverRequest(person('r-8k'), { signature: (hex) => hex.repeat(128) }));
  refused('signature header over the server limit (64 KB)', [431, 0], undefined, konverRequest(person('r-64k'), { signature: (hex) => hex.repeat(1024) }));
  refused('signature in another vendor’s header', 401, 'missing_signature', (secret) => {
    const body = person('r-other');
    return { headers: [jsonType, ['x-hub-signature-256', `sha256=${konverSig(body, secret)}`]], body };
  });
  refused('signed with a wrong secret', 401, 'signature_mismatch', (_secret) => konverRequest(person('r-wrong'))('not-the-secret'));
  refused('stale secret after a finished rotation', 401, 'signature_mismatch', (_secret) => konverRequest(person('r-stale'))('konver-previous-secret'));
  const pretty = person('r-pretty');
  refused('body re-serialized with indentation', 401, 'signature_mismatch', konverRequest(Buffer.from(JSON.stringify(JSON.parse(pretty.toString()), null, 2)), { signedBody: pretty }));
  const bom = person('r-bom');
  refused('body re-encoded with a UTF-8 BOM', 401, 'signature_mismatch', konverRequest(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bom]), { signedBody: bom }));
  const newline = person('r-newline');
  refused('body with a trailing newline added', 401, 'signature_mismatch', konverRequest(Buffer.concat([newline, Buffer.from('\n')]), { signedBody: newline }));
  const nfc = person('r-nfc', { note: 'Café Müller' });
  refused('body re-normalised from NFC to NFD', 401, 'signature_mismatch', konverRequest(Buffer.from(nfc.toString().normalize('NFD')), { signedBody: nfc }));
  const tampered = person('r-tampered');
  refused('one field changed after signing', 401, 'signature_mismatch', konverRequest(Buffer.from(tampered.toString().replace('John Doe', 'Jane Doe')), { signedBody: tampered }));
  refused('signed empty body', 400, 'empty_body', konverRequest(Buffer.alloc(0), { type: 'text/plain' }));
  refused('declared JSON that does not parse (n8n answers)', 422, undefined, konverRequest(Buffer.from('{"id": "r-invalid",')));
  refused('signed invalid JSON sent as text', 400, 'invalid_json', konverRequest(Buffer.from('{"id": "r-invalid-text",'), { type: 'text/plain' }));
  refused('signed JSON array', 400, 'not_an_object', konverRequest(json([{ id: 'r-array' }])));
  refused('signed JSON number', 400, 'not_an_object', konverRequest(Buffer.from('42'), { type: 'text/plain' }));
  refused('signed JSON null', 400, 'not_an_object', konverRequest(Buffer.from('null'), { type: 'text/plain' }));
  refused('signed bytes that are not UTF-8', 400, 'invalid_utf8', konverRequest(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { type: 'text/plain' }));
  refused('signed body over the 1 MiB limit', 413, 'body_too_large', konverRequest(person('r-big', { padding: 'x'.repeat(1024 * 1024) })));
  const gzipped = person('r-gzip-compressed');
  refused('gzip body signed over the compressed bytes', 401, 'signature_mismatch', konverRequest(gzipSync(gzipped), { signedBody: gzipSync(gzipped), extra: [['content-encoding', 'gzip']] }));
  const gzipOk = person('m-gzip');
  accepted('gzip body signed over the JSON it carries', 'm-gzip', konverRequest(gzipSync(gzipOk), { signedBody: gzipOk, extra: [['content-encoding', 'gzip']] }));
  accepted('valid delivery sent as text/plain', 'm-text', konverRequest(person('m-text'), { type: 'text/plain' }));
  accepted('duplicate JSON keys: the last one counts', 'm-dupkeys', konverRequest(Buffer.from(person('m-dupkeys').toString().replace('"eventType":"person.created"', '"eventType":"company.created","eventType":"person.created"'))), {
    convhooks: { event: 'person.created' },
  });
  accepted('__proto__ key: removed and reported', 'm-proto', konverRequest(Buffer.from(person('m-proto').toString().replace('"data":{', '"data":{"__proto__":{"polluted":true},'))), {
    convhooks: { schemaIssues: [{ path: 'data.__proto__', message: expect.stringContaining('removed') }] },
  });
  accepted('constructor key: removed and reported', 'm-ctor', konverRequest(Buffer.from(person('m-ctor').toString().replace('"data":{', '"data":{"constructor":{"prototype":{}},'))), {
    convhooks: { schemaIssues: [{ path: 'data.constructor', message: expect.stringContaining('removed') }] },
  });
  accepted('unknown event type: kept as unknown', 'm-unknown', konverRequest(json({ id: 'm-unknown', eventType: 'deal.won', timestamp: 't', data: { id: 'd1' } })), {
    convhooks: { event: 'deal.won', schemaIssues: [] },
  });
  accepted('schema drift: kept and flagged', 'm-drift', konverRequest(json({ id: 'm-drift', eventType: 'person.created', timestamp: 't', data: { id: 'p1', entity: { id: 'p1' } } })), {
    convhooks: { schemaIssues: expect.arrayContaining([{ path: 'data.entity.name', message: expect.any(String) }]) },
  });
  cases.push({ name: 'replay of an accepted delivery (dedupe)', vendor: 'konver', request: konverRequest(person('m-hex')), status: 200, runs: false });
  cases.push({ name: 'GET instead of POST', vendor: 'konver', request: (secret) => ({ ...konverRequest(Buffer.alloc(0))(secret), method: 'GET' }), status: 404, runs: false });

  // Stamped when sent, not when the cases are listed: a fresh event is what Convo sends.
  const convoRequest = (marker: string, eventHeader?: string) => (secret: string): RawRequest => {
    const body = json({ ...convo.events['transcript.ready'].sample, data: { conversationId: marker, segmentCount: 3 }, timestamp: new Date().toISOString() });
    return {
      headers: [jsonType, ['x-convo-signature', sign(convo.signature, body, secret)], ...(eventHeader ? [['x-convo-event', eventHeader] as [string, string]] : [])],
      body,
    };
  };
  cases.push({ name: 'Convo: X-Convo-Event disagrees with the signed body, which wins', vendor: 'convo', request: convoRequest('c-header', 'webhook.test'), status: 200, runs: true, marker: 'c-header', item: { event: 'transcript.ready', convhooks: { event: 'transcript.ready', schemaIssues: [{ path: 'X-Convo-Event', message: expect.stringContaining('the body wins') }] } } });
  cases.push({ name: 'Convo: no X-Convo-Event header', vendor: 'convo', request: convoRequest('c-noheader'), status: 200, runs: true, marker: 'c-noheader' });
  const convoOld = json({ ...convo.events['transcript.ready'].sample, data: { conversationId: 'c-old', segmentCount: 3 }, timestamp: new Date(Date.now() - 60 * 60_000).toISOString() });
  // Refuse Old Deliveries is off by default: a signed event an hour late (a backlog at Convo, which never retries) still runs.
  cases.push({ name: 'Convo: a correctly signed event an hour old (a late delivery)', vendor: 'convo', request: (secret) => ({ headers: [jsonType, ['x-convo-signature', sign(convo.signature, convoOld, secret)]], body: convoOld }), status: 200, runs: true, marker: 'c-old' });
  cases.push({ name: 'Convo: forged signature', vendor: 'convo', request: (_secret) => convoRequest('c-forged', 'transcript.ready')('forged'), status: 401, error: 'signature_mismatch', runs: false });
  return cases;
}
