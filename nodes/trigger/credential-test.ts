import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { signingSetupProblem, verificationOff } from '../../shared/signing-setup';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { text } from './credential-names';

/** Checks a signing credential when it is saved: what can be checked before the first delivery. */
export function signingSecretTest(vendor: VendorDefinition) {
  return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
    const data: ICredentialDataDecryptedObject = credential.data ?? {};
    // A header field left empty is refused here, not taken for the vendor's own.
    const setup = { secret: text(data.secret), signatureHeader: text(data.signatureHeader), verification: text(data.verification) };
    if (verificationOff(vendor, setup)) {
      return { status: 'OK', message: `Signatures will not be verified: anyone who knows the URL can start the workflow.` };
    }
    const problem = signingSetupProblem(vendor, setup);
    if (problem !== undefined) return { status: 'Error', message: problem };
    return { status: 'OK', message: `The secret is set; each ${vendor.name} delivery is checked against it.` };
  };
}
