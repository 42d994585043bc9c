import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import type { VendorDefinition } from '../../shared';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * A signing secret cannot be tried against an API the vendor does not have; this checks what
 * can be checked before the first delivery, so a typo shows up when the credential is saved.
 */
export function signingSecretTest(vendor: VendorDefinition) {
  return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
    const data: ICredentialDataDecryptedObject = credential.data ?? {};
    const secret = typeof data.secret === 'string' ? data.secret : '';
    if (data.verification === 'disabled') {
      return { status: 'OK', message: `Signatures will not be verified: anyone who knows the URL can start the workflow.` };
    }
    if (secret.trim() === '') return { status: 'Error', message: `Paste the Webhook Secret ${vendor.name} showed when you added the webhook.` };
    if (secret !== secret.trim()) return { status: 'Error', message: 'The secret starts or ends with white space; copy it again without it.' };
    const header = typeof data.signatureHeader === 'string' ? data.signatureHeader : vendor.signature.header;
    if (!HEADER_NAME.test(header)) return { status: 'Error', message: `"${header}" is not a valid HTTP header name.` };
    return { status: 'OK', message: `The secret is set; each ${vendor.name} delivery is checked against it.` };
  };
}
