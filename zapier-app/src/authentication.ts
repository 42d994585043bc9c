import type { AuthField, Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { replayDefaultNote, replayWindow, signingReceiveOptions, signingSetupProblem, type ManualRegistration, type ReceiveOptions, type SubscriptionApi, type VendorDefinition } from '../../shared';
import { baseUrlOf, callVendor, readAnswer } from './vendor-api';

/** Only where the vendor's doc is silent on the header may the user name another one. */
function signatureHeaderField(vendor: VendorDefinition): AuthField[] {
  if (!vendor.signature.headerAssumed) return [];
  return [
    {
      key: 'signatureHeader',
      label: 'Signature Header',
      type: 'string',
      required: false,
      default: vendor.signature.header,
      helpText: `The header ${vendor.name} puts the HMAC-SHA256 signature in. ${vendor.signature.assumption ?? ''}`,
    },
  ];
}

/**
 * The replay window sits with the other verification settings, in the connection. Zapier answers
 * the vendor before `perform` runs, so a stale delivery is not retried: it shows as halted in the Zap history.
 */
function replayWindowField(vendor: VendorDefinition): AuthField[] {
  return [
    {
      key: 'replayWindowMinutes',
      label: 'Refuse Old Deliveries (Minutes)',
      type: 'integer',
      required: false,
      default: '0',
      isNoSecret: true,
      helpText: `Drop a signed delivery whose ${vendor.timestampField} is more than this many minutes before or after Zapier's clock, so a captured delivery cannot be replayed later; one without a readable ${vendor.timestampField} is dropped too. 0 turns it off. ${replayDefaultNote(vendor)}`,
    },
  ];
}

function apiKeyAuthentication(vendor: VendorDefinition, api: SubscriptionApi): Authentication {
  return {
    type: 'custom',
    fields: [
      { key: 'apiKey', label: 'API Key', type: 'password', required: true, helpText: `Create one in ${vendor.name} under ${api.apiKeyLocation}.` },
      {
        key: 'baseUrl',
        label: 'Base URL',
        type: 'string',
        required: false,
        default: api.defaultBaseUrl,
        isNoSecret: true,
        helpText: `${vendor.name}'s API address. Change it only to point at a local simulator or a proxy.`,
      },
      ...signatureHeaderField(vendor),
      ...replayWindowField(vendor),
    ],
    // Listing the webhooks is the cheapest call that proves the key works.
    test: async (zapier: ZObject, bundle: Bundle) => {
      const webhooks = readAnswer(zapier, vendor, api.listResponse, await callVendor(zapier, bundle, vendor, api, api.list));
      return { host: new URL(baseUrlOf(bundle, api)).host, webhooks: webhooks.length };
    },
    connectionLabel: '{{bundle.inputData.host}}',
  };
}

/** Konvox-like vendors describe no signature, so running without one must stay a visible choice. */
function verificationChoice(vendor: VendorDefinition): AuthField[] {
  if (!vendor.signature.mayBeUnsigned) return [];
  return [
    {
      key: 'verification',
      label: 'Signature Verification',
      required: false,
      default: 'required',
      choices: {
        required: 'Verify every delivery (recommended)',
        disabled: `Do not verify (unsafe): anyone who learns the Zap's URL can trigger it with made-up ${vendor.name} events`,
      },
      helpText: 'Without verification, items carry convhooks verified = false.',
    },
  ];
}

function signingSecretAuthentication(vendor: VendorDefinition, registration: ManualRegistration): Authentication {
  return {
    type: 'custom',
    fields: [
      {
        key: 'secret',
        label: 'Webhook Secret',
        type: 'password',
        required: true,
        helpText: `The secret ${vendor.name} shows when you add the webhook in ${registration.settingsPath}.`,
      },
      {
        key: 'previousSecret',
        label: 'Previous Webhook Secret',
        type: 'password',
        required: false,
        helpText: 'While you rotate the secret, deliveries signed with this one are accepted too. Clear it once the rotation is done.',
      },
      ...signatureHeaderField(vendor),
      ...verificationChoice(vendor),
      ...replayWindowField(vendor),
    ],
    test: async (zapier: ZObject, bundle: Bundle) => {
      // A header left blank in Zapier means the vendor's own.
      const problem = signingSetupProblem(vendor, { ...bundle.authData, signatureHeader: bundle.authData.signatureHeader || undefined });
      if (problem !== undefined) throw new zapier.errors.Error(problem, 'InvalidSigningSetup');
      const verifies = bundle.authData.verification !== 'disabled';
      return { label: verifies ? `${vendor.name} webhooks, signed` : `${vendor.name} webhooks, NOT verified` };
    },
    connectionLabel: '{{bundle.inputData.label}}',
  };
}

export function authenticationFor(vendor: VendorDefinition): Authentication {
  const { registration } = vendor;
  return registration.kind === 'api' ? apiKeyAuthentication(vendor, registration.api) : signingSecretAuthentication(vendor, registration);
}

/**
 * How a delivery is verified: the one-time secret the subscription returned (API vendors), or
 * the secrets and choices in the connection (vendors whose webhooks are added by hand); either
 * way with the connection's header and replay window, measured from the host's `now`.
 */
export function verificationOptions(vendor: VendorDefinition, bundle: Bundle, subscriptionSecret: string | undefined, now: Date): ReceiveOptions {
  const fromConnection = { ...signingReceiveOptions(vendor, bundle.authData), replayWindow: replayWindow(bundle.authData.replayWindowMinutes, now) };
  if (vendor.registration.kind !== 'api') return fromConnection;
  return { ...fromConnection, secrets: subscriptionSecret === undefined ? [] : [subscriptionSecret] };
}
