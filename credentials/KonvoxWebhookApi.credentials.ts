import type { ICredentialType } from 'n8n-workflow';
import { konvox } from '../shared/vendors/konvox';
import { signingSecretProperties } from './credential-fields';

export class KonvoxWebhookApi implements ICredentialType {
  name = 'konvoxWebhookApi';

  displayName = 'Konvox Webhook API';

  icon = 'file:../nodes/KonvoxTrigger/konvox.svg' as const;

  documentationUrl = 'https://github.com/convhooks/n8n-nodes-convhooks#credentials';

  properties = signingSecretProperties(konvox, konvox.registration.settingsPath);
}
