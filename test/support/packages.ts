/**
 * Each vendor's trigger and credential as its n8n package declares them, loaded from the
 * package's source by the same layout the generator writes: a new vendor needs no line here.
 */
import { join } from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';
import { packageLayout } from '../../scripts/generate/layout';
import { VENDORS, type VendorId } from '../../shared';

function instance<T>(file: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as Record<string, new () => T>;
  const [Class, ...others] = Object.values(exported);
  if (Class === undefined || others.length > 0) throw new Error(`${file} should export exactly one class.`);
  return new Class();
}

export interface VendorPackage {
  readonly node: INodeType;
  readonly credential: ICredentialType;
}

export function vendorPackage(vendorId: VendorId): VendorPackage {
  const layout = packageLayout(VENDORS[vendorId]);
  return { node: instance<INodeType>(join(layout.folder, layout.nodeFile)), credential: instance<ICredentialType>(join(layout.folder, layout.credentialFile)) };
}

export const PACKAGE = Object.fromEntries(Object.keys(VENDORS).map((id) => [id, vendorPackage(id as VendorId)])) as Record<VendorId, VendorPackage>;
