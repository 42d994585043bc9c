import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { receive, type ReceiveOptions } from '../../shared/receive';
import { replayWindow } from '../../shared/replay';
import { signatureHeaderOverride, signingReceiveOptions } from '../../shared/signing-setup';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { catchUpAfter, mayTakeDelivery } from './catch-up';
import { signingCredentials, type SigningCredentials } from './credentials';
import { isRepeatedDelivery } from './dedupe';
import { eventItem, isSelected, selectedEvents } from './events';
import { heldWith, keepHeld } from './held-subscriptions';
import { checkForLostSubscription } from './lost-subscription';
import { deliverySecrets } from './subscription-secrets';

interface TriggerOptions {
  dedupe?: boolean;
  includeHeaders?: boolean;
  /** An imported workflow may hold any value in these two; only the core's rules give them a meaning. */
  signatureHeader?: unknown;
  replayWindowMinutes?: unknown;
}

/** What the node's options add to verification, whichever secrets it uses. */
type OptionChecks = Pick<ReceiveOptions, 'signatureHeader' | 'replayWindow'>;

/** Express request as n8n hands it over: the raw bytes are kept for signature checks. */
interface RawRequest {
  rawBody?: Buffer;
  readRawBody?: () => Promise<void>;
  headers: Record<string, string | string[] | undefined>;
}

/** The node's header option, where set, wins over the credential's. */
function fromCredentials(vendor: VendorDefinition, credentials: SigningCredentials, checks: OptionChecks): ReceiveOptions {
  const fromSetup = signingReceiveOptions(vendor, credentials);
  return { ...fromSetup, ...checks, signatureHeader: checks.signatureHeader ?? fromSetup.signatureHeader };
}

/** Verifies and parses with the secrets `create` stored (API vendors), or the user's credential, re-read once after a failure on an older copy. */
async function verifiedReceipt(context: IWebhookFunctions, vendor: VendorDefinition, request: RawRequest & { rawBody: Buffer }, checks: OptionChecks) {
  if (vendor.registration.kind === 'api') {
    const held = heldWith(context, context.getWorkflowStaticData('node'));
    const { secrets, unopened } = await deliverySecrets(context, vendor, held);
    const receipt = receive(vendor, request.rawBody, request.headers, { secrets, ...checks });
    if (!receipt.ok && (receipt.reason === 'signature_mismatch' || receipt.reason === 'no_secret')) await checkForLostSubscription(context, vendor, vendor.registration.api, held, unopened);
    return receipt;
  }
  const cached = await signingCredentials(context, vendor);
  const receipt = receive(vendor, request.rawBody, request.headers, fromCredentials(vendor, cached.credentials, checks));
  // A stale delivery did verify: a re-read could not change the answer, and a flood of replays must not pay for one.
  if (receipt.ok || receipt.status !== 401 || receipt.reason === 'stale_event' || !cached.mayRefresh) return receipt;
  return receive(vendor, request.rawBody, request.headers, fromCredentials(vendor, await cached.refresh(), checks));
}

function reject(context: IWebhookFunctions, status: number, error: string, message: string): IWebhookResponseData {
  context.getResponseObject().status(status).json({ error, message });
  return { noWebhookResponse: true };
}

/** Verify the raw bytes, parse, filter, dedupe, and hand one item on; a refusal answers with a status and a reason and starts nothing. */
async function oneDelivery(context: IWebhookFunctions, vendor: VendorDefinition): Promise<IWebhookResponseData> {
  const request = context.getRequestObject() as unknown as RawRequest;
  if (request.rawBody === undefined && typeof request.readRawBody === 'function') await request.readRawBody();
  if (!Buffer.isBuffer(request.rawBody)) return reject(context, 400, 'unreadable_body', 'The raw request body was not available, so the signature cannot be checked.');
  const now = new Date();
  const options = context.getNodeParameter('options', {}) as TriggerOptions;
  const checks = { signatureHeader: signatureHeaderOverride(vendor, options.signatureHeader), replayWindow: replayWindow(options.replayWindowMinutes, now) };
  const receipt = await verifiedReceipt(context, vendor, request as RawRequest & { rawBody: Buffer }, checks);
  if (!receipt.ok) return reject(context, receipt.status, receipt.reason, receipt.message);
  const { eventType } = receipt;
  if (!isSelected(selectedEvents(context), eventType ?? '')) {
    return { webhookResponse: { received: true, ignored: `The trigger does not listen for ${eventType ?? 'events without a type'}.` } };
  }
  if (options.dedupe !== false && isRepeatedDelivery(context, receipt.dedupeKey, receipt.verified)) return { webhookResponse: { received: true, duplicate: true } };
  const headers = options.includeHeaders ? ({ ...request.headers } as IDataObject) : undefined;
  const json = eventItem(vendor, receipt, now, { verified: receipt.verified }, headers);
  return { workflowData: [context.helpers.returnJsonArray([json])], webhookResponse: { received: true } };
}

/** A delivery, and after a gap the events the vendor's API still holds (catch-up.ts). */
export function deliveryHandler(vendor: VendorDefinition) {
  return async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    if (!(await mayTakeDelivery(this, vendor))) {
      return reject(this, 503, 'not_listening', `n8n is stopping or taking this trigger down; once n8n is back, or the workflow republished, the trigger reads this event back from ${vendor.name}'s API.`);
    }
    const delivered = await oneDelivery(this, vendor);
    const result = await catchUpAfter(this, vendor, delivered);
    // An accepted delivery's copy is written right after this: it must not undo a newer activation (held-subscriptions.ts).
    if (vendor.registration.kind === 'api' && delivered.webhookResponse !== undefined) keepHeld(this, this.getWorkflowStaticData('node'));
    return result;
  };
}
