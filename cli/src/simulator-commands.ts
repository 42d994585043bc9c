import { setTimeout as sleep } from 'node:timers/promises';
import { VENDORS } from '../../shared';
import { describeAttempt, simulatorApiKey, startSimulator, type DeliveryAttempt } from '../../simulator';
import { eventArgument, parse, vendorArgument } from './arguments';
import { EXIT, type Command } from './command';
import { exchangeLines } from './exchange';
import { err, Failure, out, UsageError } from './io';
import { control, defaultSimulatorPort, defaultSimulatorUrl, deliveryLog, firstAnswers, simulatorUrl, SIMULATOR_FLAG_HELP, type Dispatched } from './simulator-client';

const FOLLOW_HINT = 'watch it with `convhooks deliveries --follow`';

/** Prints each delivery's first answer and a verdict; exit 0 only when every one was 2xx. */
async function reportAnswers(base: string, dispatched: readonly Dispatched[], json: boolean | undefined, verb: string): Promise<number> {
  const answers = await firstAnswers(base, dispatched);
  const delivered = answers.filter((answer) => answer?.outcome === 'delivered').length;
  if (json) {
    out(JSON.stringify(dispatched.map((dispatch, index) => ({ ...dispatch, answer: answers[index] ?? null })), null, 2));
  } else {
    answers.forEach((answer, index) => out(answer ? describeAttempt(answer) : `${dispatched[index]?.event} [${dispatched[index]?.deliveryId}]: no answer yet; ${FOLLOW_HINT}`));
    const retrying = answers.find((answer) => answer?.outcome === 'retrying');
    if (retrying) out(`${VENDORS[retrying.vendor].name} retries on its own schedule; ${FOLLOW_HINT}.`);
  }
  const count = `${dispatched.length} ${dispatched.length === 1 ? 'delivery' : 'deliveries'}`;
  if (delivered === dispatched.length) {
    if (!json) out(`${verb} succeeded: ${count}, every one answered 2xx.`);
    return EXIT.ok;
  }
  err(`${verb} failed: ${dispatched.length - delivered} of ${count} not answered 2xx; see \`convhooks deliveries --verbose\`.`);
  return EXIT.rejected;
}

const trigger: Command = {
  summary: 'Fire an event through the running simulator to every subscribed webhook',
  help: `Usage: convhooks trigger <vendor> <event> [--webhook ID] [--simulator URL] [--json]

Has the running simulator send a fresh copy of the event's sample to every webhook subscribed to it, as the vendor would, and prints each delivery's first answer.
  --webhook ID     only this webhook
${SIMULATOR_FLAG_HELP}
  --json           print the deliveries and their answers as JSON
Exit 0 when every delivery was answered 2xx, 1 when one was not, none was subscribed or no simulator answered, 64 on bad usage.`,
  async run(args) {
    const { values, positionals } = parse(args, { webhook: { type: 'string' }, simulator: { type: 'string' }, json: { type: 'boolean' } });
    const vendor = vendorArgument(positionals[0]);
    const event = eventArgument(vendor, positionals[1]);
    const base = simulatorUrl(values.simulator);
    if (!values.json) out(`Firing ${vendor.id} ${event} through the simulator at ${base}`);
    const fired = (await control(base, 'POST', '/_control/fire', { body: { vendor: vendor.id, event, webhookId: values.webhook } })) as { dispatched: Dispatched[] };
    if (fired.dispatched.length === 0) {
      const which = values.webhook === undefined ? `No ${vendor.name} webhook` : `${vendor.name} webhook ${values.webhook} is unknown or not`;
      throw new Failure(`${which} subscribed to ${event} at ${base}: publish a workflow with the ${vendor.name} trigger (npm start does), or add one with POST ${base}/_control/webhooks.`);
    }
    return reportAnswers(base, fired.dispatched, values.json, 'Trigger');
  },
};

const replay: Command = {
  summary: 'Send one logged delivery again',
  help: `Usage: convhooks replay <delivery> [--simulator URL] [--json]

Has the simulator send a logged delivery's body again to its webhook, as a new delivery signed with the webhook's current secret, and prints the answer.
The delivery id is the last field, in brackets, of every line of \`deliveries\`, \`trigger\` and \`simulate\`.
${SIMULATOR_FLAG_HELP}
  --json           print the delivery and its answer as JSON
Exit 0 on a 2xx answer, 1 on another answer, an unknown delivery or no simulator, 64 on bad usage.`,
  async run(args) {
    const { values, positionals } = parse(args, { simulator: { type: 'string' }, json: { type: 'boolean' } });
    const deliveryId = positionals[0]?.replace(/^\[|\]$/g, '');
    if (deliveryId === undefined || deliveryId === '') throw new UsageError('Name the delivery to replay: its id ends each line of `convhooks deliveries`.');
    const base = simulatorUrl(values.simulator);
    const resent = (await control(base, 'POST', `/_control/deliveries/${encodeURIComponent(deliveryId)}/resend`)) as { dispatched: Dispatched[] };
    return reportAnswers(base, resent.dispatched, values.json, 'Replay');
  },
};

function printAttempt(attempt: DeliveryAttempt, format: { json?: boolean; verbose?: boolean }): void {
  if (format.json) {
    out(JSON.stringify(attempt));
    return;
  }
  out(describeAttempt(attempt));
  if (!format.verbose) return;
  const answer = attempt.status === null ? (attempt.error ?? 'no answer') : String(attempt.status);
  const exchange = { url: attempt.url, headers: attempt.requestHeaders, body: attempt.requestBody, answer, durationMs: attempt.durationMs, responseBody: attempt.responseBody };
  exchangeLines(exchange).forEach((line) => out(`    ${line}`));
}

const FOLLOW_POLL_MS = 200;

/** Prints attempts logged after `cursor` as they come, until Ctrl-C (or SIGTERM). */
async function follow(base: string, query: { vendor?: string; webhookId?: string }, cursor: number, format: { json?: boolean; verbose?: boolean }): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let after = cursor;
    while (!stop.signal.aborted) {
      const fresh = await deliveryLog(base, { ...query, after }, stop.signal).catch((error: unknown) => {
        if (stop.signal.aborted) return [];
        throw error;
      });
      fresh.forEach((attempt) => printAttempt(attempt, format));
      after = fresh.at(-1)?.seq ?? after;
      await sleep(FOLLOW_POLL_MS, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const deliveries: Command = {
  summary: 'Show the simulator’s delivery log: request, answer, timing',
  help: `Usage: convhooks deliveries [--vendor V] [--webhook ID] [--limit N] [--follow] [--verbose] [--json] [--simulator URL]

Prints the running simulator's delivery attempts, oldest first, one line each: when, vendor and event, where, the answer, its time and the delivery id.
  --vendor V       only this vendor's deliveries
  --webhook ID     only the deliveries to this webhook
  --limit N        only the newest N attempts (default 20; 0 for all)
  --follow         keep printing attempts as they happen, until Ctrl-C
  --verbose        also print each request's headers and body, and the answer's body
  --json           print one JSON object per attempt and line
${SIMULATOR_FLAG_HELP}
Exit 0, 1 when no simulator answers, 64 on bad usage.`,
  async run(args) {
    const { values } = parse(args, {
      vendor: { type: 'string' },
      webhook: { type: 'string' },
      limit: { type: 'string' },
      follow: { type: 'boolean' },
      verbose: { type: 'boolean' },
      json: { type: 'boolean' },
      simulator: { type: 'string' },
    });
    const limit = Number(values.limit ?? '20');
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a whole number, not "${values.limit}".`);
    const query = { vendor: values.vendor === undefined ? undefined : vendorArgument(values.vendor).id, webhookId: values.webhook };
    const base = simulatorUrl(values.simulator);
    const log = await deliveryLog(base, query);
    log.slice(limit === 0 ? 0 : -limit).forEach((attempt) => printAttempt(attempt, values));
    if (values.follow) await follow(base, query, log.at(-1)?.seq ?? 0, values);
    return EXIT.ok;
  },
};

const simulate: Command = {
  summary: 'Run the five-vendor simulator in the foreground',
  help: `Usage: convhooks simulate [--port P] [--time-scale N]

Serves all five vendors on 127.0.0.1 and prints every delivery attempt as it happens, until Ctrl-C.
Converc's API is under /converc and Convo's under /convo; webhooks of the vendors without an API, events and faults go through /_control.
  --port P         port to listen on (default 4780, moved by CONVHOOKS_PORT_OFFSET; 0 for a free one)
  --time-scale N   multiply retry delays by N (default 1)
Exit 0 when stopped, 1 when the port is taken, 64 on bad usage.`,
  async run(args) {
    const { values } = parse(args, { port: { type: 'string' }, 'time-scale': { type: 'string' } });
    const port = values.port === undefined ? defaultSimulatorPort() : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${values.port}".`);
    const timeScale = Number(values['time-scale'] ?? '1');
    if (!(timeScale > 0)) throw new UsageError(`--time-scale must be a positive number, not "${values['time-scale']}".`);
    const running = await startSimulator({ port, timeScale, onAttempt: (attempt) => out(describeAttempt(attempt)) }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new Failure(`Port ${port} is taken: is a simulator (or \`npm start\`) already running? Pass --port P, or --port 0 for a free one.`);
    });
    out(`ConvHooks simulator on ${running.url}`);
    for (const vendor of Object.values(VENDORS)) {
      const api = vendor.registration.kind === 'api' ? `API ${running.baseUrl(vendor.id)} (key ${simulatorApiKey(vendor.id)})` : `webhooks: POST ${running.url}/_control/webhooks {"vendor":"${vendor.id}","url":…,"secret":…}`;
      out(`  ${vendor.name.padEnd(8)} ${api}`);
    }
    const elsewhere = running.url === defaultSimulatorUrl() ? '' : ` --simulator ${running.url}`;
    out(`  fire an event: npx convhooks trigger konvox contact.replied${elsewhere}`);
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

export const SIMULATOR_COMMANDS = { simulate, trigger, deliveries, replay };
