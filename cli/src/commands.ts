import { eventTypeHeaders, parseEvent, sign, verify, VENDORS, type VendorDefinition } from '../../shared';
import { eventArgument, parse, required, vendorArgument } from './arguments';
import { EXIT, type Command } from './command';
import { err, out, readBody } from './io';
import { send } from './send';
import { SIMULATOR_COMMANDS } from './simulator-commands';

const events: Command = {
  summary: 'List the vendors’ events',
  help: `Usage: convhooks events [--vendor V] [--json]

Lists every event of every vendor (or one vendor) with its category and when it fires.
  --vendor V   only this vendor (${Object.keys(VENDORS).join(', ')})
  --json       machine-readable output
Exit 0, 64 on bad usage.`,
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

Prints the sample payload of one event: the vendor doc's own example where it gives one.
Exit 0, 64 on bad usage.`,
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

Prints the value the vendor would send in its signature header for the body (standard input unless --file is given), signed with the webhook secret S.
Exit 0, 64 on bad usage.`,
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

Checks SIG (the signature header's value) against the body (standard input unless --file is given).
Repeat --secret to try several, as during a rotation.
Exit 0 and "valid" when it matches; 1 and the reason (missing_signature, malformed_signature, signature_mismatch or no_secret) otherwise; 64 on bad usage.`,
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
  --event-header NAME   the event type a vendor sends in a header (Convo's X-Convo-Event)
Exit 0, 2 when the body is not a JSON object (with the reason), 64 on bad usage.`,
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

export const COMMANDS: Record<string, Command> = {
  events,
  sample,
  sign: signCommand,
  verify: verifyCommand,
  parse: parseCommand,
  send,
  ...SIMULATOR_COMMANDS,
};
