import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { kolvera } from '../../shared/vendors/kolvera';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(kolvera);

export class KolveraTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Kolvera Trigger',
    name: 'kolveraTrigger',
    icon: { light: 'file:kolvera.svg', dark: 'file:kolvera.dark.svg' },
    group: ['trigger'],
    // 1.1: n8n evaluates an options.binaryData expression, in an isolate, on every request to a version 1 webhook node.
    version: [1, 1.1],
    defaultVersion: 1.1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'kolveraWebhookApi', required: true, testedBy: 'kolveraWebhookApiTest' }],
    ...trigger.description,
  };

  webhookMethods = trigger.webhookMethods;

  methods = trigger.methods;

  webhook = trigger.webhook;
}
