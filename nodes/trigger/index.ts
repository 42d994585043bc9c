import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared';
import { signingSecretTest } from './credential-test';
import { credentialName } from './credential-names';
import { triggerDescription } from './description';
import { subscriptionLifecycle } from './lifecycle';
import { deliveryHandler } from './webhook';

/** The parts of a node's description its own file states literally, as n8n's lint wants to see them. */
type LiteralParts = 'displayName' | 'name' | 'icon' | 'group' | 'version' | 'subtitle' | 'inputs' | 'outputs' | 'credentials';

export interface VendorTrigger {
  description: Omit<INodeTypeDescription, LiteralParts>;
  webhookMethods: INodeType['webhookMethods'];
  methods: INodeType['methods'];
  webhook: NonNullable<INodeType['webhook']>;
}

/** Everything else a vendor's trigger node is, built from its definition. */
export function vendorTrigger(vendor: VendorDefinition): VendorTrigger {
  const api = vendor.registration.kind === 'api' ? vendor.registration.api : undefined;
  return {
    description: triggerDescription(vendor),
    webhookMethods: api ? { default: subscriptionLifecycle(vendor, api) } : undefined,
    methods: api ? undefined : { credentialTest: { [`${credentialName(vendor)}Test`]: signingSecretTest(vendor) } },
    webhook: deliveryHandler(vendor),
  };
}
