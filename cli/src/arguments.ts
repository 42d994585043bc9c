import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isVendorId, VENDORS, VENDOR_IDS, type VendorDefinition } from '../../shared';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function vendorArgument(value: string | undefined): VendorDefinition {
  if (value === undefined) throw new UsageError(`Name a vendor: ${VENDOR_IDS.join(', ')}.`);
  const id = value.toLowerCase();
  if (!isVendorId(id)) throw new UsageError(`Unknown vendor "${value}". Vendors: ${VENDOR_IDS.join(', ')}.`);
  return VENDORS[id];
}

export function eventArgument(vendor: VendorDefinition, value: string | undefined): string {
  const names = Object.keys(vendor.events);
  if (value === undefined) throw new UsageError(`Name a ${vendor.name} event: ${names.join(', ')}.`);
  if (!names.includes(value)) throw new UsageError(`Unknown ${vendor.name} event "${value}". Events: ${names.join(', ')}.`);
  return value;
}

export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required.`);
  return value;
}
