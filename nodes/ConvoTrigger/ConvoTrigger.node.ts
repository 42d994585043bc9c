import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { convo } from '../../shared/vendors/convo';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(convo);

export class ConvoTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Convo Trigger',
    name: 'convoTrigger',
    icon: { light: 'file:convo.svg', dark: 'file:convo.dark.svg' },
    group: ['trigger'],
    // 1.1: n8n evaluates an options.binaryData expression, in an isolate, on every request to a version 1 webhook node.
    version: [1, 1.1],
    defaultVersion: 1.1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'convoApi', required: true }],
    ...trigger.description,
  };

  webhookMethods = trigger.webhookMethods;

  webhook = trigger.webhook;
}
