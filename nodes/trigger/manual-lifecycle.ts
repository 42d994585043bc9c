import { NodeOperationError } from 'n8n-workflow';
import { signingSetupProblem, verificationOff } from '../../shared/signing-setup';
import type { VendorDefinition } from '../../shared/vendor-definition';
import { credentialName, text } from './credential-names';
import type { WebhookMethods } from './lifecycle';

/**
 * Activation for a vendor without an API. The user adds the webhook in the vendor's settings, so
 * there is nothing to register or remove; what activation can do is refuse a credential that
 * could never verify a delivery, where otherwise every delivery would be answered 401 unseen.
 */
export function manualLifecycle(vendor: VendorDefinition): WebhookMethods {
  return {
    // Nothing at the vendor can be looked up: every activation runs create's check.
    async checkExists() {
      return false;
    },

    async create() {
      const credentials = await this.getCredentials(credentialName(vendor));
      // A blank header field means the vendor's own header, as for deliveries.
      const setup = { secret: text(credentials.secret), signatureHeader: text(credentials.signatureHeader) || undefined, verification: text(credentials.verification) };
      const problem = signingSetupProblem(vendor, setup);
      if (problem !== undefined) {
        throw new NodeOperationError(this.getNode(), `The ${vendor.name} credential cannot verify deliveries: ${problem}`, {
          description: `Fix the ${vendor.name} Webhook API credential and publish again; until then ${vendor.name}'s deliveries would be refused.`,
        });
      }
      if (verificationOff(vendor, setup)) {
        this.logger.warn(`The ${vendor.name} trigger runs without signature verification: anyone who learns its URL can start the workflow.`);
      }
      return true;
    },

    // The webhook stays in the vendor's settings until the user removes it there; n8n answers its deliveries 404 meanwhile.
    async delete() {
      return true;
    },
  };
}
