/**
 * The least of n8n's webhook context a ConvHooks delivery needs, for tests that count what the
 * trigger asks of n8n. Everything the handler calls is here and typed; nothing else is.
 */
import type { IDataObject, INode, IWebhookFunctions, WorkflowExecuteMode } from 'n8n-workflow';
import { credentialName } from '../../nodes/trigger/credentials';
import type { VendorDefinition } from '../../shared';

export interface DeliverySetup {
  vendor: VendorDefinition;
  /** n8n's identity of one trigger; the credential cache and dedupe key on it. */
  nodeId: string;
  body: Buffer;
  headers: Record<string, string>;
  /** Stands in for n8n's decryption of the node's credential. */
  getCredentials: (name: string) => Promise<IDataObject>;
  mode?: WorkflowExecuteMode;
  staticData?: IDataObject;
}

export interface Answer {
  status?: number;
  body?: unknown;
}

interface DeliveryContext {
  getNode(): INode;
  getWorkflow(): { id: string; active: boolean };
  getMode(): WorkflowExecuteMode;
  getWorkflowStaticData(type: string): IDataObject;
  getNodeParameter(name: string, fallback?: unknown): unknown;
  getCredentials(name: string): Promise<IDataObject>;
  getRequestObject(): { rawBody: Buffer; headers: Record<string, string> };
  getResponseObject(): { status(code: number): { json(body: unknown): void } };
  helpers: { returnJsonArray(items: IDataObject[]): Array<{ json: IDataObject }> };
}

export function deliveryContext(setup: DeliverySetup): { context: IWebhookFunctions; answer: Answer } {
  const answer: Answer = {};
  const name = credentialName(setup.vendor);
  const node: INode = {
    id: setup.nodeId,
    name: `${setup.vendor.name} Trigger`,
    type: `${setup.vendor.id}Trigger`,
    typeVersion: 1.1,
    position: [0, 0],
    parameters: {},
    credentials: { [name]: { id: `credential-of-${setup.nodeId}`, name } },
  };
  const staticData = setup.staticData ?? {};
  const parameters: Record<string, unknown> = { events: ['*'], options: {} };
  const context: DeliveryContext = {
    getNode: () => node,
    getWorkflow: () => ({ id: 'workflow-1', active: true }),
    getMode: () => setup.mode ?? 'webhook',
    getWorkflowStaticData: () => staticData,
    getNodeParameter: (parameter, fallback) => parameters[parameter] ?? fallback,
    getCredentials: setup.getCredentials,
    getRequestObject: () => ({ rawBody: setup.body, headers: setup.headers }),
    getResponseObject: () => ({
      status: (code) => {
        answer.status = code;
        return { json: (body) => void (answer.body = body) };
      },
    }),
    helpers: { returnJsonArray: (items) => items.map((json) => ({ json })) },
  };
  // The handler's `this` is n8n's whole IWebhookFunctions; it calls only what DeliveryContext lists.
  return { context: context as unknown as IWebhookFunctions, answer };
}
