import type { ICredentialType } from 'n8n-workflow';
import { converc } from '../shared/vendors/converc';
import { apiKeyProperties, bearerAuthentication, listWebhooksTest } from './credential-fields';

const api = converc.registration.api;

export class ConvercApi implements ICredentialType {
  name = 'convercApi';

  displayName = 'Converc API';

  icon = 'file:../nodes/ConvercTrigger/converc.svg' as const;

  documentationUrl = 'https://github.com/convhooks/n8n-nodes-convhooks#credentials';

  properties = apiKeyProperties(converc, api);

  authenticate = bearerAuthentication;

  test = listWebhooksTest(api);
}
