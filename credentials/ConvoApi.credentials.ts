import type { ICredentialType } from 'n8n-workflow';
import { convo } from '../shared/vendors/convo';
import { apiKeyProperties, bearerAuthentication, listWebhooksTest } from './credential-fields';

const api = convo.registration.api;

export class ConvoApi implements ICredentialType {
  name = 'convoApi';

  displayName = 'Convo API';

  icon = 'file:../nodes/ConvoTrigger/convo.svg' as const;

  documentationUrl = 'https://github.com/convhooks/n8n-nodes-convhooks#credentials';

  properties = apiKeyProperties(convo, api);

  authenticate = bearerAuthentication;

  test = listWebhooksTest(api);
}
