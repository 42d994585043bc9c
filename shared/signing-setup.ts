import type { ReceiveOptions } from './receive';
import type { VendorDefinition } from './vendor-definition';

/** What a user enters for a vendor whose webhooks are added by hand, in n8n or in Zapier. */
export interface SigningSetup {
  readonly secret?: string;
  readonly previousSecret?: string;
  /** Absent: the vendor's own header. */
  readonly signatureHeader?: string;
  readonly verification?: string;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Whether a setup turns verification off: only where the vendor's doc leaves deliveries unsigned, whatever an imported setup says. */
export function verificationOff(vendor: VendorDefinition, setup: SigningSetup): boolean {
  return vendor.signature.mayBeUnsigned === true && setup.verification === 'disabled';
}

/**
 * A signing secret cannot be tried against an API the vendor does not have; this is what can be
 * checked before the first delivery, so a typo shows when the setup is saved. Undefined when
 * nothing is wrong, or when the user chose not to verify where the vendor allows it.
 */
export function signingSetupProblem(vendor: VendorDefinition, setup: SigningSetup): string | undefined {
  if (verificationOff(vendor, setup)) return undefined;
  const secret = setup.secret ?? '';
  if (secret.trim() === '') {
    const signsAll = setup.verification === 'disabled' ? `: ${vendor.name} signs every delivery, so verification cannot be turned off` : '';
    return `Paste the Webhook Secret ${vendor.name} showed when you added the webhook${signsAll}.`;
  }
  if (secret !== secret.trim()) return 'The Webhook Secret starts or ends with white space; copy it again without it.';
  const header = setup.signatureHeader ?? vendor.signature.header;
  if (!HEADER_NAME.test(header)) return `"${header}" is not a valid HTTP header name.`;
  return undefined;
}

/**
 * The header a user's setting names in place of the vendor's, or undefined for the vendor's own.
 * Only where the doc names no header: elsewhere the doc is the truth, whatever an imported
 * workflow says. The setting may be anything a workflow or connection holds, so only a non-empty
 * string counts; a number or an object must not reach the header lookup, which would throw.
 */
export function signatureHeaderOverride(vendor: VendorDefinition, setting: unknown): string | undefined {
  if (!vendor.signature.headerAssumed || typeof setting !== 'string') return undefined;
  const header = setting.trim();
  return header === '' ? undefined : header;
}

/** How deliveries are verified under a signing setup: its header and its choice to skip verification count only where the vendor's scheme offers them. */
export function signingReceiveOptions(vendor: VendorDefinition, setup: SigningSetup): ReceiveOptions {
  return {
    secrets: [setup.secret ?? '', setup.previousSecret ?? ''],
    signatureHeader: signatureHeaderOverride(vendor, setup.signatureHeader),
    verification: verificationOff(vendor, setup) ? 'disabled' : 'required',
  };
}
