import type { ICredentialType } from 'n8n-workflow';
import { kolvera } from '../shared/vendors/kolvera';
import { signingSecretProperties } from './credential-fields';

export class KolveraWebhookApi implements ICredentialType {
  name = 'kolveraWebhookApi';

  displayName = 'Kolvera Webhook API';

  icon = 'file:../nodes/KolveraTrigger/kolvera.svg' as const;

  documentationUrl = 'https://github.com/convhooks/n8n-nodes-convhooks#credentials';

  properties = signingSecretProperties(kolvera, kolvera.registration.settingsPath);
}
