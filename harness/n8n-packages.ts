import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVendorId, VENDOR_IDS, type VendorId } from '../shared';
import { ROOT } from './paths';

/**
 * Which n8n community package holds each vendor's trigger: the one place that rule lives, for
 * the harness, the recipes and whatever generates the packages. Today one package, the
 * repository root, holds all five.
 */

const ROOT_PACKAGE_NAME: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).name;

export function packageNameOf(vendor: VendorId): string {
  if (!isVendorId(vendor)) throw new Error(`No n8n package for "${vendor}": the vendors are ${VENDOR_IDS.join(', ')}`);
  return ROOT_PACKAGE_NAME;
}

/** Where a package's sources are: the root package is the repository; any other lives in `packages/<name>/`. */
export function packageFolderOf(name: string): string {
  return name === ROOT_PACKAGE_NAME ? ROOT : join(ROOT, 'packages', name);
}

/** Every package that holds a trigger, once each: what the harness packs and installs into n8n. */
export function triggerPackageFolders(): string[] {
  return [...new Set(VENDOR_IDS.map((vendor) => packageFolderOf(packageNameOf(vendor))))];
}
