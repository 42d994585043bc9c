import { NodeOperationError, type ICredentialDataDecryptedObject, type ICredentialsDecrypted, type ICredentialTestFunctions, type INodeCredentialTestResult } from 'n8n-workflow';
import { signingSetupProblem, verificationOff } from '../../shared/signing-setup';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { credentialName, text } from './credentials';
import type { WebhookMethods } from './subscriptions';

/** The credential's signing setup; where `blankIsVendors`, an empty header field means the vendor's own header. */
const setupOf = (data: ICredentialDataDecryptedObject, blankIsVendors: boolean) => ({
  secret: text(data.secret),
  signatureHeader: blankIsVendors ? text(data.signatureHeader) || undefined : text(data.signatureHeader),
  verification: text(data.verification),
});

/** Checks a signing credential when it is saved: what can be checked before the first delivery. */
export function signingSecretTest(vendor: VendorDefinition) {
  return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
    // A header field left empty is refused here, not taken for the vendor's own.
    const setup = setupOf(credential.data ?? {}, false);
    if (verificationOff(vendor, setup)) return { status: 'OK', message: `Signatures will not be verified: anyone who knows the URL can start the workflow.` };
    const problem = signingSetupProblem(vendor, setup);
    if (problem !== undefined) return { status: 'Error', message: problem };
    return { status: 'OK', message: `The secret is set; each ${vendor.name} delivery is checked against it.` };
  };
}

/**
 * Activation for a vendor without an API: the user adds the webhook in the vendor's settings, so
 * activation only refuses a credential that could never verify a delivery.
 */
export function manualLifecycle(vendor: VendorDefinition): WebhookMethods {
  return {
    async checkExists() {
      return false;
    },

    async create() {
      // As for deliveries.
      const setup = setupOf(await this.getCredentials(credentialName(vendor)), true);
      const problem = signingSetupProblem(vendor, setup);
      if (problem !== undefined) {
        throw new NodeOperationError(this.getNode(), `The ${vendor.name} credential cannot verify deliveries: ${problem}`, {
          description: `Fix the ${vendor.name} Webhook API credential and publish again; until then ${vendor.name}'s deliveries would be refused.`,
        });
      }
      if (verificationOff(vendor, setup)) this.logger.warn(`The ${vendor.name} trigger runs without signature verification: anyone who learns its URL can start the workflow.`);
      return true;
    },

    // The webhook stays in the vendor's settings until the user removes it there; n8n answers its deliveries 404 meanwhile.
    async delete() {
      return true;
    },
  };
}
