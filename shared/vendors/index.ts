import { converc } from './converc';
import { convo } from './convo';
import { kolvera } from './kolvera';
import { konver } from './konver';
import { konvox } from './konvox';

export { converc, convo, kolvera, konver, konvox };

/** Every vendor, by id. A new vendor is one file in this folder and one line here. */
export const VENDORS = { konver, converc, kolvera, konvox, convo } as const;

export type VendorId = keyof typeof VENDORS;
export type Vendor = (typeof VENDORS)[VendorId];

export const VENDOR_IDS = Object.keys(VENDORS) as VendorId[];

export function isVendorId(value: string): value is VendorId {
  return Object.hasOwn(VENDORS, value);
}
