import type { INodeType } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { activationWatch, passItemsOn } from './activation';
import { credentialName } from './credentials';
import { manualLifecycle, signingSecretTest } from './manual-lifecycle';
import { subscriptionLifecycle } from './subscriptions';
import { deliveryHandler } from './webhook';

/** What a vendor's trigger does; what it is (its description) each package's node file states. */
export interface VendorTrigger {
  webhookMethods: NonNullable<INodeType['webhookMethods']>;
  methods: INodeType['methods'];
  webhook: NonNullable<INodeType['webhook']>;
  /** Only where catch-up can recover a refused delivery: n8n's activation, watched (activation.ts). */
  trigger?: INodeType['trigger'];
  execute?: INodeType['execute'];
}

export function vendorTrigger(vendor: VendorDefinition): VendorTrigger {
  const api = vendor.registration.kind === 'api' ? vendor.registration.api : undefined;
  return {
    webhookMethods: { default: api ? subscriptionLifecycle(vendor, api) : manualLifecycle(vendor) },
    methods: api ? undefined : { credentialTest: { [`${credentialName(vendor)}Test`]: signingSecretTest(vendor) } },
    webhook: deliveryHandler(vendor),
    ...(api?.recentEvents ? { trigger: activationWatch, execute: passItemsOn } : {}),
  };
}
