import type { ICredentialType } from 'n8n-workflow';
import { konver } from '../shared/vendors/konver';
import { signingSecretProperties } from './credential-fields';

export class KonverWebhookApi implements ICredentialType {
  name = 'konverWebhookApi';

  displayName = 'Konver Webhook API';

  icon = 'file:../nodes/KonverTrigger/konver.svg' as const;

  documentationUrl = 'https://github.com/convhooks/n8n-nodes-convhooks#credentials';

  properties = signingSecretProperties(konver, konver.registration.settingsPath);
}
