import { randomUUID } from 'node:crypto';
import {
  deliveryHeaders,
  eventTypeHeaders,
  freshSample,
  parseEvent,
  sign,
  verify,
  VENDORS,
  type VendorDefinition,
} from '../../shared';
import { describeAttempt, simulatorApiKey, startSimulator } from '../../simulator';
import { eventArgument, parse, required, vendorArgument } from './arguments';
import { err, out, readBody, UsageError } from './io';

export interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}

/** Exit codes: 0 done, 1 the check said no (invalid signature, non-2xx answer), 2 bad body, 64 bad usage. */
export const EXIT = { ok: 0, rejected: 1, badBody: 2, usage: 64 } as const;

const events: Command = {
  summary: 'List the vendors’ events',
  help: `Usage: convhooks events [--vendor V] [--json]

Lists every event of every vendor (or one vendor) with its category and when it fires.
  --vendor V   only this vendor (${Object.keys(VENDORS).join(', ')})
  --json       machine-readable output`,
  async run(args) {
    const { values } = parse(args, { vendor: { type: 'string' }, json: { type: 'boolean' } });
    const vendors: VendorDefinition[] = values.vendor === undefined ? Object.values(VENDORS) : [vendorArgument(values.vendor)];
    const rows = vendors.flatMap((vendor) =>
      Object.entries(vendor.events).map(([event, definition]) => ({
        vendor: vendor.id,
        event,
        category: definition.category,
        title: definition.title,
        description: definition.description,
      })),
    );
    if (values.json) {
      out(JSON.stringify(rows, null, 2));
      return EXIT.ok;
    }
    const width = (key: 'vendor' | 'event' | 'category') => Math.max(key.length, ...rows.map((row) => row[key].length));
    const line = (row: Record<'vendor' | 'event' | 'category' | 'description', string>) =>
      `${row.vendor.padEnd(width('vendor'))}  ${row.event.padEnd(width('event'))}  ${row.category.padEnd(width('category'))}  ${row.description}`;
    out(line({ vendor: 'vendor', event: 'event', category: 'category', description: 'fires when' }));
    rows.forEach((row) => out(line(row)));
    return EXIT.ok;
  },
};

const sample: Command = {
  summary: 'Print an event’s sample payload',
  help: `Usage: convhooks sample <vendor> <event>

Prints the sample payload of one event: the vendor doc's own example where it gives one.`,
  async run(args) {
    const { positionals } = parse(args, {});
    const vendor = vendorArgument(positionals[0]);
    const event = eventArgument(vendor, positionals[1]);
    out(JSON.stringify(vendor.events[event]?.sample, null, 2));
    return EXIT.ok;
  },
};

const signCommand: Command = {
  summary: 'Print the signature header value for a body',
  help: `Usage: convhooks sign <vendor> --secret S [--file F]

Prints the value the vendor would send in its signature header for the body
(standard input unless --file is given), signed with the webhook secret S.`,
  async run(args) {
    const { values, positionals } = parse(args, { secret: { type: 'string' }, file: { type: 'string' } });
    const vendor = vendorArgument(positionals[0]);
    const secret = required(values.secret, '--secret');
    out(sign(vendor.signature, await readBody(values.file), secret));
    return EXIT.ok;
  },
};

const verifyCommand: Command = {
  summary: 'Check a body against a signature',
  help: `Usage: convhooks verify <vendor> --secret S --signature SIG [--file F]

Checks SIG (the signature header's value) against the body (standard input unless
--file is given). Repeat --secret to try several (rotation).
Exit 0 and "valid" when it matches; exit 1 and the reason otherwise:
missing_signature, malformed_signature, signature_mismatch or no_secret.`,
  async run(args) {
    const { values, positionals } = parse(args, {
      secret: { type: 'string', multiple: true },
      signature: { type: 'string' },
      file: { type: 'string' },
    });
    const vendor = vendorArgument(positionals[0]);
    const body = await readBody(values.file);
    const headers = values.signature === undefined ? {} : { [vendor.signature.header]: values.signature };
    const result = verify(vendor.signature, body, headers, values.secret ?? []);
    if (result.ok) {
      out('valid');
      return EXIT.ok;
    }
    out(result.reason);
    err(result.message);
    return EXIT.rejected;
  },
};

const parseCommand: Command = {
  summary: 'Parse a body into the typed event',
  help: `Usage: convhooks parse <vendor> [--file F] [--event-header NAME]

Prints the event as JSON: its type, whether it matched its schema (valid), dedupe key, schema issues and payload.
--event-header gives the event type a vendor sends in a header (Convo's X-Convo-Event).
Exit 2 when the body is not a JSON object (with the reason).`,
  async run(args) {
    const { values, positionals } = parse(args, { file: { type: 'string' }, 'event-header': { type: 'string' } });
    const vendor = vendorArgument(positionals[0]);
    const eventHeader = values['event-header'];
    const headers = eventHeader === undefined ? {} : eventTypeHeaders(vendor, eventHeader);
    const parsed = parseEvent(vendor, await readBody(values.file), { headers });
    if (!parsed.ok) {
      out(JSON.stringify({ error: parsed.error, message: parsed.message }, null, 2));
      return EXIT.badBody;
    }
    const { event, eventType, dedupeKey, issues, body } = parsed;
    out(JSON.stringify({ type: event.type, valid: event.valid, eventType, dedupeKey, issues, payload: body }, null, 2));
    return EXIT.ok;
  },
};

/** Changes a signed body the way an attacker in the middle would: the signature no longer fits. */
function tamper(body: Buffer): Buffer {
  const text = body.toString('utf8');
  return Buffer.from(text.trimStart().startsWith('{') ? text.replace('{', '{"tampered":true,') : `${text} `);
}

const send: Command = {
  summary: 'POST a signed delivery to a URL, as the vendor would',
  help: `Usage: convhooks send <vendor> <event> --url URL --secret S [--file F] [--tamper]

Signs the body (a fresh copy of the event's sample, or --file F) with the webhook secret
and POSTs it to URL with the vendor's headers. Prints the answer's status and body.
  --tamper   change the body after signing, to see a receiver reject it
Exit 0 on a 2xx answer, 1 otherwise.`,
  async run(args) {
    const { values, positionals } = parse(args, {
      url: { type: 'string' },
      secret: { type: 'string' },
      file: { type: 'string' },
      tamper: { type: 'boolean' },
    });
    const vendor = vendorArgument(positionals[0]);
    const event = eventArgument(vendor, positionals[1]);
    const url = required(values.url, '--url');
    if (!URL.canParse(url)) throw new UsageError(`--url is not a URL: ${url}`);
    const secret = required(values.secret, '--secret');
    const body = values.file !== undefined ? await readBody(values.file) : Buffer.from(JSON.stringify(freshSample(vendor, event, { id: randomUUID(), at: new Date() })));
    const headers = deliveryHeaders(vendor, body, secret, event);
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: values.tamper ? tamper(body) : body, signal: AbortSignal.timeout(vendor.delivery.timeoutMs) });
    } catch (error) {
      err(`Could not deliver to ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
      return EXIT.rejected;
    }
    out(`${response.status} ${response.statusText}`);
    const text = await response.text();
    if (text !== '') out(text);
    return response.ok ? EXIT.ok : EXIT.rejected;
  },
};

const simulate: Command = {
  summary: 'Run the five-vendor simulator in the foreground',
  help: `Usage: convhooks simulate [--port P] [--time-scale N]

Serves all five vendors on 127.0.0.1 and prints every delivery as it happens.
Converc's API is under /converc, Convo's under /convo; webhooks of the vendors
without an API, events and faults are driven through /_control. Ctrl-C stops it.
  --port P         port to listen on (default: a free one)
  --time-scale N   multiply retry delays by N (default 1)`,
  async run(args) {
    const { values } = parse(args, { port: { type: 'string' }, 'time-scale': { type: 'string' } });
    const port = Number(values.port ?? '0');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${values.port}".`);
    const timeScale = Number(values['time-scale'] ?? '1');
    if (!(timeScale > 0)) throw new UsageError(`--time-scale must be a positive number, not "${values['time-scale']}".`);
    const running = await startSimulator({ port, timeScale, onAttempt: (attempt) => out(describeAttempt(attempt)) });
    out(`ConvHooks simulator on ${running.url}`);
    for (const vendor of Object.values(VENDORS)) {
      const api = vendor.registration.kind === 'api' ? `API ${running.baseUrl(vendor.id)} (key ${simulatorApiKey(vendor.id)})` : `webhooks: POST ${running.url}/_control/webhooks {"vendor":"${vendor.id}","url":…,"secret":…}`;
      out(`  ${vendor.name.padEnd(8)} ${api}`);
    }
    out(`  fire an event: POST ${running.url}/_control/fire {"vendor":"konvox","event":"contact.replied"}`);
    out('Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await running.close();
    out('Simulator stopped.');
    return EXIT.ok;
  },
};

export const COMMANDS: Record<string, Command> = {
  events,
  sample,
  sign: signCommand,
  verify: verifyCommand,
  parse: parseCommand,
  send,
  simulate,
};
