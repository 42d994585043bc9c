import { version as platformVersion, type BaseApp, type BasicHookOperation, type Trigger } from 'zapier-platform-core';
import type { EventDefinition, VendorDefinition } from '../../shared';
import { authenticationFor } from './authentication';
import { hookPerform, listPerform, subscriptionLifecycle } from './hooks';
import { outputFields, sampleItem } from './items';
import { staticHookDirections, triggerWording } from './naming';

export { vendorHeaders } from './hooks';
export { triggerKey } from './naming';
export type { TriggerItem } from './items';

/** A Zapier CLI app: the platform's app definition with every trigger spelled out. */
export type ZapierApp = BaseApp & { triggers: Record<string, Trigger> };

/**
 * A REST hook where the vendor has a subscription API; otherwise a static hook, whose URL the
 * user pastes into the vendor's settings (Zapier allows those in private apps only).
 */
function operationFor(vendor: VendorDefinition, eventName: string, event: EventDefinition): BasicHookOperation {
  const { registration } = vendor;
  return {
    type: 'hook',
    perform: hookPerform(vendor, eventName),
    performList: listPerform(vendor, eventName),
    ...(registration.kind === 'api' ? subscriptionLifecycle(vendor, registration.api, eventName) : {}),
    sample: sampleItem(vendor, eventName, event),
    outputFields: outputFields(event),
  };
}

function triggerFor(vendor: VendorDefinition, eventName: string, event: EventDefinition): Trigger {
  const { key, noun, label, description } = triggerWording(vendor, eventName, event);
  const { registration } = vendor;
  const directions = registration.kind === 'manual' ? { directions: staticHookDirections(vendor, registration.settingsPath, eventName, event) } : {};
  return { key, noun, display: { label, description, ...directions }, operation: operationFor(vendor, eventName, event) };
}

/** One trigger per event of the vendor's catalog, under the vendor's own authentication. */
export function zapierApp(vendor: VendorDefinition, version: string): ZapierApp {
  const triggers: Record<string, Trigger> = {};
  for (const [eventName, event] of Object.entries(vendor.events)) {
    const trigger = triggerFor(vendor, eventName, event);
    // Two event names that spell one key would silently replace a trigger.
    if (Object.hasOwn(triggers, trigger.key)) throw new Error(`${vendor.name}: two events map to the trigger key "${trigger.key}".`);
    triggers[trigger.key] = trigger;
  }
  return { version, platformVersion, authentication: authenticationFor(vendor), triggers };
}
