import type { IAuthenticateGeneric, ICredentialTestRequest, INodeProperties } from 'n8n-workflow';
import type { SubscriptionApi } from '../shared/subscription-api';
import type { VendorDefinition } from '../shared/vendor-definition';

/** API key and base URL for a vendor whose webhooks are managed through its API. */
function apiKeyProperties(vendor: VendorDefinition, api: SubscriptionApi): INodeProperties[] {
  return [
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      required: true,
      default: '',
      description: `Create one in ${vendor.name} under ${api.apiKeyLocation}`,
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      required: true,
      default: api.defaultBaseUrl,
      description: `${vendor.name}'s API address; change it only for a local simulator or a proxy`,
    },
  ];
}

export const bearerAuthentication: IAuthenticateGeneric = {
  type: 'generic',
  properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
};

/** Lists the webhooks: the cheapest call that proves the key works. */
export function listWebhooksTest(api: SubscriptionApi): ICredentialTestRequest {
  return { request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: api.list.path, method: 'GET' } };
}

/**
 * Where the vendor's doc leaves the header unsure, the user reads it off their account; why it is
 * unsure (the vendor's signature.assumption) is in the package README.
 */
export function signatureHeaderDescription(vendor: VendorDefinition): string {
  return `The header ${vendor.name} puts the HMAC-SHA256 signature in, as your account shows it`;
}

/** The signing secret(s) a vendor without an API showed the user when they added the webhook. */
function signingSecretProperties(vendor: VendorDefinition, settingsPath: string): INodeProperties[] {
  const headerField: INodeProperties[] = vendor.signature.headerAssumed
    ? [
        {
          displayName: 'Signature Header',
          name: 'signatureHeader',
          type: 'string',
          default: vendor.signature.header,
          description: signatureHeaderDescription(vendor),
        },
      ]
    : [];
  const verificationChoice: INodeProperties[] = vendor.signature.mayBeUnsigned
    ? [
        {
          displayName: 'Signature Verification',
          name: 'verification',
          type: 'options',
          default: 'required',
          options: [
            { name: 'Verify Every Delivery', value: 'required', description: 'Reject requests whose signature does not match (recommended)' },
            {
              name: 'Do Not Verify (Unsafe)',
              value: 'disabled',
              description: `Accept unsigned requests, for a ${vendor.name} account that does not sign`,
            },
          ],
        },
        {
          displayName: 'Without verification, anyone who learns the webhook URL can start the workflow with made-up data',
          name: 'verificationWarning',
          type: 'notice',
          default: '',
          displayOptions: { show: { verification: ['disabled'] } },
        },
      ]
    : [];
  return [
    {
      displayName: 'Webhook Secret',
      name: 'secret',
      type: 'string',
      typeOptions: { password: true },
      required: true,
      default: '',
      description: `The secret ${vendor.name} shows when you add the webhook in ${settingsPath}`,
    },
    {
      displayName: 'Previous Webhook Secret',
      name: 'previousSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'The old secret during a rotation, still accepted until you clear it',
    },
    ...headerField,
    ...verificationChoice,
  ];
}

/** A vendor's credential fields: an API key where it has an API, else the secret it showed. */
export function credentialProperties(vendor: VendorDefinition): INodeProperties[] {
  const registration = vendor.registration;
  return registration.kind === 'api' ? apiKeyProperties(vendor, registration.api) : signingSecretProperties(vendor, registration.settingsPath);
}
