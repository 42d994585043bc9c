/**
 * What n8n does when a user saves one of the package's credentials: for a vendor without an
 * API, the node's `credentialTest` method named by `testedBy`; for an API vendor, the
 * credential's declarative `test` request, run as n8n's credentials tester runs it.
 */
import type { ICredentialsDecrypted, ICredentialDataDecryptedObject, IHookFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { simulatorApiKey, startSimulator, type RunningSimulator } from '../../../simulator';
import { VENDORS, type VendorId } from '../../../shared';
import { hookContext } from '../../support/n8n-context';
import { PACKAGE } from '../../support/packages';
import { n8nCredentialTestContext, runCredentialTestRequest } from '../../support/n8n-runtime';

const MANUAL: VendorId[] = ['konver', 'kolvera', 'konvox'];
const API = ['converc', 'convo'] as const;

/** Runs the method the node's credential entry names in `testedBy`, as n8n does on save. */
async function savedSigningCredential(vendorId: VendorId, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
  const { node, credential } = PACKAGE[vendorId];
  const testedBy = node.description.credentials?.find((entry) => entry.name === credential.name)?.testedBy;
  if (typeof testedBy !== 'string') throw new Error(`${vendorId}'s node names no credential test for ${credential.name}.`);
  const method = node.methods?.credentialTest?.[testedBy];
  if (method === undefined) throw new Error(`${vendorId}'s node has no credentialTest method "${testedBy}".`);
  const saved: ICredentialsDecrypted = { id: 'credential-1', name: `${vendorId} secret`, type: credential.name, data };
  return method.call(n8nCredentialTestContext(), saved);
}

describe.each(MANUAL)('saving a %s signing credential', (vendorId) => {
  const vendor = VENDORS[vendorId];

  it('passes with a secret, and says each delivery is checked against it', async () => {
    await expect(savedSigningCredential(vendorId, { secret: 'whsec_1' })).resolves.toEqual({
      status: 'OK',
      message: `The secret is set; each ${vendor.name} delivery is checked against it.`,
    });
  });

  it('fails without a secret, or with one copied with white space around it', async () => {
    await expect(savedSigningCredential(vendorId, { secret: '' })).resolves.toEqual({ status: 'Error', message: expect.stringMatching(/^Paste the Webhook Secret/) });
    await expect(savedSigningCredential(vendorId, { secret: ' whsec_1\n' })).resolves.toEqual({ status: 'Error', message: expect.stringMatching(/white space/) });
  });
});

describe.each(['konver', 'kolvera'] as const)('a %s credential imported with verification turned off, which its doc never allows', (vendorId) => {
  const vendor = VENDORS[vendorId];
  const imported = { secret: '', verification: 'disabled' };
  const refusal = `Paste the Webhook Secret ${vendor.name} showed when you added the webhook: ${vendor.name} signs every delivery, so verification cannot be turned off.`;

  it('fails the credential test, naming the vendor and the field', async () => {
    await expect(savedSigningCredential(vendorId, imported)).resolves.toEqual({ status: 'Error', message: refusal });
  });

  it('is refused at activation, where every delivery would otherwise be answered 401', async () => {
    const { context } = hookContext({ nodeType: vendorId, parameters: { events: [] }, credentials: { [PACKAGE[vendorId].credential.name]: imported } });
    await expect(PACKAGE[vendorId].node.webhookMethods!.default!.create!.call(context as IHookFunctions)).rejects.toThrow(`The ${vendor.name} credential cannot verify deliveries: ${refusal}`);
  });
});

describe('saving the Konvox credential, whose doc names no signature', () => {
  it('refuses a header name HTTP does not allow, and an empty one', async () => {
    await expect(savedSigningCredential('konvox', { secret: 's', signatureHeader: 'X Konvox Signature' })).resolves.toMatchObject({ status: 'Error', message: expect.stringMatching(/not a valid HTTP header name/) });
    await expect(savedSigningCredential('konvox', { secret: 's', signatureHeader: '' })).resolves.toMatchObject({ status: 'Error' });
  });

  it('passes without verification, and says what that means', async () => {
    await expect(savedSigningCredential('konvox', { secret: '', verification: 'disabled' })).resolves.toEqual({
      status: 'OK',
      message: expect.stringMatching(/will not be verified: anyone who knows the URL/),
    });
  });
});

describe.each(API)('saving a %s API credential', (vendorId) => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  const { node, credential } = PACKAGE[vendorId];
  const api = VENDORS[vendorId].registration.api;
  const saved = (data: ICredentialDataDecryptedObject) => ({ type: credential, id: 'credential-1', data });

  it.each(['', '/', '//'])('lists the webhooks with the key, from a base URL ending in "%s"', async (ending) => {
    const { output, sent } = await runCredentialTestRequest(saved({ apiKey: simulatorApiKey(vendorId), baseUrl: `${sim.baseUrl(vendorId)}${ending}` }), node);
    expect(sent).toEqual([
      expect.objectContaining({ method: 'GET', url: `${sim.baseUrl(vendorId)}${api.list.path}`, headers: expect.objectContaining({ Authorization: `Bearer ${simulatorApiKey(vendorId)}` }) }),
    ]);
    // n8n took the 200 answer as the test's result: the vendor's (empty) list.
    expect(output).toEqual([[{ json: expect.any(Object) }]]);
  });

  it('fails with a key the vendor does not accept', async () => {
    await expect(runCredentialTestRequest(saved({ apiKey: 'not-the-key', baseUrl: sim.baseUrl(vendorId) }), node)).rejects.toMatchObject({ httpCode: '401' });
  });
});
