import type { INodeType } from 'n8n-workflow';
import { converc } from '../../shared/vendors/converc';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(converc);

export class ConvercTrigger implements INodeType {
  description = trigger.description;

  webhookMethods = trigger.webhookMethods;

  webhook = trigger.webhook;
}
