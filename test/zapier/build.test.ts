import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileApp, serializeApp } from 'zapier-platform-core/src/tools/schema';
import type { VendorId } from '../../shared';
import { buildApp, zapierNode } from '../../zapier-app/scripts/build-apps';
import { APPS } from './harness';

/**
 * The Zapier CLI's own `validate --without-style` and `build --skip-validation` for every app:
 * schema check, `_zapier-build`, a fresh dependency install from the npm registry, the zip,
 * and the CLI's test that the zip loads. Only the style check and the upload need Zapier.
 */
jest.setTimeout(10 * 60_000);

beforeAll(() => zapierNode());

describe.each(Object.keys(APPS) as VendorId[])('%s Zapier app build', (vendorId) => {
  it('validates and builds with the Zapier CLI into a zip that loads', async () => {
    const { output, zips } = await buildApp(vendorId);
    expect(output).toContain('This project is structurally sound!');
    expect(output).toContain('Build complete! Created build/build.zip and build/source.zip.');
    expect(zips.map((zip) => zip.split('/').slice(-2).join('/'))).toEqual(['build/build.zip', 'build/source.zip']);
    for (const zip of zips) expect(statSync(zip).size).toBeGreaterThan(0);

    // The bundle `_zapier-build` made is the same app as the TypeScript source the tests run.
    const bundle = join(__dirname, '../../zapier-app/apps', vendorId, 'dist/index.js');
    expect(existsSync(bundle)).toBe(true);
    const built = jest.requireActual<object>(bundle);
    expect(serializeApp(compileApp(built))).toEqual(serializeApp(compileApp(APPS[vendorId])));
  });
});
