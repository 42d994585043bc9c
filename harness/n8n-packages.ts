import { packageLayout } from '../scripts/generate/layout';
import { VENDORS } from '../shared';

/** Every vendor's n8n package folder, as the generator lays them out: what the harness packs and installs into n8n. */
export function triggerPackageFolders(): string[] {
  return Object.values(VENDORS).map((vendor) => packageLayout(vendor).folder);
}
