import type { ZObject } from 'zapier-platform-core';
import type { VendorDefinition } from '../../shared';
import { claim } from './claims';

/** How long one kind of refusal stays quiet once it has shown in a Zap's history. */
const NOTICE_SECONDS = 60 * 60;

/**
 * Refuses a delivery so that the user sees it: Zapier has answered the vendor before `perform`
 * runs, so nothing retries it. A HaltedError shows in the Zap history with the reason and, unlike
 * an error, never counts towards Zapier turning the Zap off or emailing about it, so a forger
 * cannot get the Zap disabled. At most one refusal per reason and hour is shown, so a forger
 * cannot flood the history either; the rest go to the log. A cache that fails shows it.
 */
export async function refuseDelivery(zapier: ZObject, vendor: VendorDefinition, eventName: string, zap: string | undefined, reason: string, message: string): Promise<never[]> {
  zapier.console.log(`${vendor.name} ${eventName} trigger: delivery ignored, ${reason}: ${message}`);
  // Without the Zap's name the notice is shared by the connection's Zaps: one of them shows it.
  const notice = await claim(zapier, `refusal:${eventName}:${zap ?? 'connection'}:${reason}`, NOTICE_SECONDS);
  if (notice.kind === 'lost') return [];
  throw new zapier.errors.HaltedError(
    `${vendor.name} sent a delivery this trigger refused (${reason}): ${message} ` +
      `Further ${reason} refusals within the hour go to the log only.`,
  );
}
