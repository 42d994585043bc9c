import { join } from 'node:path';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { credentialName } from '../../nodes/trigger/credentials';

/** Where each vendor's n8n community package lives and what its parts are called: one rule for the generator, the harness and the tests. */

export const ROOT = join(__dirname, '..', '..');
export const PACKAGES_DIR = join(ROOT, 'packages');

const pascal = (vendor: VendorDefinition) => vendor.name.replace(/[^A-Za-z0-9]/g, '');

export function packageLayout(vendor: VendorDefinition) {
  const packageName = `n8n-nodes-${vendor.id}`;
  const nodeClass = `${pascal(vendor)}Trigger`;
  const credentialType = credentialName(vendor);
  const credentialClass = credentialType.charAt(0).toUpperCase() + credentialType.slice(1);
  return {
    packageName,
    folder: join(PACKAGES_DIR, packageName),
    nodeName: `${vendor.id}Trigger`,
    /** What n8n calls the node once the package is installed. */
    nodeType: `${packageName}.${vendor.id}Trigger`,
    nodeClass,
    nodeDir: `nodes/${nodeClass}`,
    nodeFile: `nodes/${nodeClass}/${nodeClass}.node.ts`,
    credentialType,
    credentialClass,
    credentialFile: `credentials/${credentialClass}.credentials.ts`,
    icon: `${vendor.id}.svg`,
    darkIcon: `${vendor.id}.dark.svg`,
  };
}

export type PackageLayout = ReturnType<typeof packageLayout>;
