import type { INodeType } from 'n8n-workflow';
import { konver } from '../../shared/vendors/konver';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(konver);

export class KonverTrigger implements INodeType {
  description = trigger.description;

  webhookMethods = trigger.webhookMethods;

  webhook = trigger.webhook;
}
