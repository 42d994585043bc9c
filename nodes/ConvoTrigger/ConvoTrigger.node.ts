import type { INodeType } from 'n8n-workflow';
import { convo } from '../../shared/vendors/convo';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(convo);

export class ConvoTrigger implements INodeType {
  description = trigger.description;

  webhookMethods = trigger.webhookMethods;

  webhook = trigger.webhook;
}
