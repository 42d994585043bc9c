import { randomUUID } from 'node:crypto';
import { deliveryHeaders, freshSample } from '../../shared';
import { eventArgument, parse, required, vendorArgument } from './arguments';
import { EXIT, type Command } from './command';
import { exchangeLines } from './exchange';
import { err, errorReason, out, readBody, UsageError } from './io';

/** Changes a signed body the way an attacker in the middle would: the signature no longer fits. */
function tamper(body: Buffer): Buffer {
  const text = body.toString('utf8');
  return Buffer.from(text.trimStart().startsWith('{') ? text.replace('{', '{"tampered":true,') : `${text} `);
}

/** Applies `--header K:V` flags over the vendor's headers; `K:` with no value drops K, as in curl. */
function withExtraHeaders(headers: Record<string, string>, flags: readonly string[]): Record<string, string> {
  const result = { ...headers };
  for (const flag of flags) {
    const colon = flag.indexOf(':');
    const name = flag.slice(0, colon).trim().toLowerCase();
    if (colon < 0 || name === '') throw new UsageError(`--header must look like "Name: value", not "${flag}".`);
    const value = flag.slice(colon + 1).trim();
    if (value === '') delete result[name];
    else result[name] = value;
  }
  return result;
}

export const send: Command = {
  summary: 'POST a signed delivery to a URL, as the vendor would',
  help: `Usage: convhooks send <vendor> <event> --url URL --secret S [--file F] [--header K:V]… [--tamper] [--verbose] [--json]

Signs the body (a fresh copy of the event's sample, or --file F) with the webhook secret and POSTs it to URL with the vendor's headers.
Prints the answer's status and body.
  --header K:V   add or replace a header (repeatable); "K:" with no value drops K
  --tamper       change the body after signing, to see a receiver reject it
  --verbose      also print the request as sent and the answer's time
  --json         print the request, the answer and its time as one JSON object
Exit 0 on a 2xx answer, 1 otherwise, 64 on bad usage.`,
  async run(args) {
    const { values, positionals } = parse(args, {
      url: { type: 'string' },
      secret: { type: 'string' },
      file: { type: 'string' },
      header: { type: 'string', multiple: true },
      tamper: { type: 'boolean' },
      verbose: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const vendor = vendorArgument(positionals[0]);
    const event = eventArgument(vendor, positionals[1]);
    const url = required(values.url, '--url');
    if (!URL.canParse(url)) throw new UsageError(`--url is not a URL: ${url}`);
    const secret = required(values.secret, '--secret');
    const signed = values.file !== undefined ? await readBody(values.file) : Buffer.from(JSON.stringify(freshSample(vendor, event, { id: randomUUID(), at: new Date() })));
    const headers = withExtraHeaders(deliveryHeaders(vendor, signed, secret, event), values.header ?? []);
    const body = values.tamper ? tamper(signed) : signed;
    const request = { method: 'POST', url, headers, body: body.toString('utf8') };
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(vendor.delivery.timeoutMs) });
    } catch (error) {
      if (values.json) out(JSON.stringify({ request, error: errorReason(error), durationMs: elapsed() }, null, 2));
      else if (values.verbose) exchangeLines({ ...request, answer: 'no answer', durationMs: elapsed(), responseBody: null }).forEach((line) => out(line));
      err(`Could not deliver to ${url}: ${errorReason(error)}`);
      return EXIT.rejected;
    }
    const text = await response.text();
    const durationMs = elapsed();
    const answer = `${response.status} ${response.statusText}`;
    if (values.json) {
      out(JSON.stringify({ request, response: { status: response.status, statusText: response.statusText, headers: Object.fromEntries(response.headers), body: text }, durationMs }, null, 2));
    } else if (values.verbose) {
      exchangeLines({ ...request, answer, durationMs, responseBody: text }).forEach((line) => out(line));
    } else {
      out(answer);
      if (text !== '') out(text);
    }
    return response.ok ? EXIT.ok : EXIT.rejected;
  },
};
