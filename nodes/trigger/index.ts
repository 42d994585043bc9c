import type { INodeType } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared';
import { triggerDescription } from './description';
import { subscriptionLifecycle } from './lifecycle';
import { deliveryHandler } from './webhook';

/** Everything a vendor's trigger node is, built from its definition. */
export function vendorTrigger(vendor: VendorDefinition): Required<Pick<INodeType, 'description' | 'webhook'>> & Pick<INodeType, 'webhookMethods'> {
  const lifecycle = vendor.registration.kind === 'api' ? { default: subscriptionLifecycle(vendor, vendor.registration.api) } : undefined;
  return { description: triggerDescription(vendor), webhookMethods: lifecycle, webhook: deliveryHandler(vendor) };
}
