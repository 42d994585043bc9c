import type { INodeType } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { signingSecretTest } from './credential-test';
import { credentialName } from './credential-names';
import { subscriptionLifecycle } from './lifecycle';
import { manualLifecycle } from './manual-lifecycle';
import { activationWatch, passItemsOn } from './live-activation';
import { deliveryHandler } from './webhook';

/** What a vendor's trigger does; what it is (its description) each package's node file states as a literal. */
export interface VendorTrigger {
  webhookMethods: NonNullable<INodeType['webhookMethods']>;
  methods: INodeType['methods'];
  webhook: NonNullable<INodeType['webhook']>;
  /** Only where the vendor's API lets catch-up recover a refused delivery (see catch-up.ts): n8n's activation, watched. */
  trigger?: INodeType['trigger'];
  execute?: INodeType['execute'];
}

/** The behaviour of a vendor's trigger node, built from its definition. */
export function vendorTrigger(vendor: VendorDefinition): VendorTrigger {
  const api = vendor.registration.kind === 'api' ? vendor.registration.api : undefined;
  return {
    webhookMethods: { default: api ? subscriptionLifecycle(vendor, api) : manualLifecycle(vendor) },
    methods: api ? undefined : { credentialTest: { [`${credentialName(vendor)}Test`]: signingSecretTest(vendor) } },
    webhook: deliveryHandler(vendor),
    ...(api?.recentEvents ? { trigger: activationWatch, execute: passItemsOn } : {}),
  };
}
