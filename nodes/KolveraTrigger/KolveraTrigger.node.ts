import type { INodeType } from 'n8n-workflow';
import { kolvera } from '../../shared/vendors/kolvera';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(kolvera);

export class KolveraTrigger implements INodeType {
  description = trigger.description;

  webhookMethods = trigger.webhookMethods;

  webhook = trigger.webhook;
}
