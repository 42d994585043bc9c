import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { konvox } from '../../shared/vendors/konvox';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(konvox);

export class KonvoxTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Konvox Trigger',
    name: 'konvoxTrigger',
    icon: { light: 'file:konvox.svg', dark: 'file:konvox.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'konvoxWebhookApi', required: true, testedBy: 'konvoxWebhookApiTest' }],
    ...trigger.description,
  };

  webhookMethods = trigger.webhookMethods;

  methods = trigger.methods;

  webhook = trigger.webhook;
}
