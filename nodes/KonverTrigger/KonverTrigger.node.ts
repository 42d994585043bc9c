import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { konver } from '../../shared/vendors/konver';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(konver);

export class KonverTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Konver Trigger',
    name: 'konverTrigger',
    icon: { light: 'file:konver.svg', dark: 'file:konver.dark.svg' },
    group: ['trigger'],
    // 1.1: n8n evaluates an options.binaryData expression, in an isolate, on every request to a version 1 webhook node.
    version: [1, 1.1],
    defaultVersion: 1.1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'konverWebhookApi', required: true, testedBy: 'konverWebhookApiTest' }],
    ...trigger.description,
  };

  webhookMethods = trigger.webhookMethods;

  methods = trigger.methods;

  webhook = trigger.webhook;
}
