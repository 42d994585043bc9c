import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { converc } from '../../shared/vendors/converc';
import { vendorTrigger } from '../trigger';

const trigger = vendorTrigger(converc);

export class ConvercTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Converc Trigger',
    name: 'convercTrigger',
    icon: { light: 'file:converc.svg', dark: 'file:converc.dark.svg' },
    group: ['trigger'],
    // 1.1: n8n evaluates an options.binaryData expression, in an isolate, on every request to a version 1 webhook node.
    version: [1, 1.1],
    defaultVersion: 1.1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'convercApi', required: true }],
    ...trigger.description,
  };

  webhookMethods = trigger.webhookMethods;

  webhook = trigger.webhook;
}
