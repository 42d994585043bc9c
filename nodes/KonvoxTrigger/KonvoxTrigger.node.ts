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
    // 1.1: n8n evaluates an options.binaryData expression, in an isolate, on every request to a version 1 webhook node.
    version: [1, 1.1],
    defaultVersion: 1.1,
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
