import type { INodeType } from 'n8n-workflow';
import { konvox } from '../../shared/vendors/konvox';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(konvox);

export class KonvoxTrigger implements INodeType {
  description = trigger.description;

  webhookMethods = trigger.webhookMethods;

  webhook = trigger.webhook;
}
