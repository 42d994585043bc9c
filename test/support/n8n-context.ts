/**
 * n8n's function contexts, faked the way n8n's own node tests fake them: plain objects with
 * the methods a node calls. HTTP requests are real (fetch), so lifecycle tests talk to the
 * simulator exactly as n8n's request helper would.
 */
import type { IDataObject, IHookFunctions, INode, IWebhookFunctions } from 'n8n-workflow';

export interface ContextSetup {
  nodeType: string;
  /** The credential's id as the node refers to it; a fresh one per context unless given. */
  credentialId?: string;
  /** The node's id: n8n's identity of one trigger across requests; a fresh one per context unless given. */
  nodeId?: string;
  parameters: Record<string, unknown>;
  credentials: Record<string, Record<string, unknown>>;
  staticData?: IDataObject;
  webhookUrl?: string;
}

const node: INode = { id: 'node-1', name: 'Trigger', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

let contexts = 0;

function base(setup: ContextSetup) {
  const staticData = setup.staticData ?? {};
  const logs: string[] = [];
  const reads = { count: 0 };
  contexts += 1;
  const credentialId = setup.credentialId ?? `credential-${contexts}`;
  const credentials = Object.fromEntries(Object.keys(setup.credentials).map((name) => [name, { id: credentialId, name }]));
  return {
    staticData,
    logs,
    reads,
    context: {
      getNode: () => ({ ...node, id: setup.nodeId ?? `node-${contexts}`, type: setup.nodeType, credentials }),
      getWorkflow: () => ({ id: 'workflow-1', name: 'Test workflow', active: true }),
      getWorkflowStaticData: () => staticData,
      getNodeParameter: (name: string, fallback?: unknown) => (name in setup.parameters ? setup.parameters[name] : fallback),
      getCredentials: async (name: string) => {
        reads.count += 1;
        const found = setup.credentials[name];
        if (!found) throw new Error(`Node does not have credentials "${name}"`);
        return found;
      },
      getMode: () => 'trigger',
      getActivationMode: () => 'activate',
      logger: {
        info: (message: string) => logs.push(`info: ${message}`),
        warn: (message: string) => logs.push(`warn: ${message}`),
        error: (message: string) => logs.push(`error: ${message}`),
        debug: () => undefined,
      },
    },
  };
}

export interface HttpCall {
  method: string;
  url: string;
}

/** IHookFunctions for webhookMethods: bearer auth from the credential, as the credential's `authenticate` says. */
export function hookContext(setup: ContextSetup & { webhookUrl: string }) {
  const { context, staticData, logs } = base(setup);
  const calls: HttpCall[] = [];
  const hook = {
    ...context,
    getNodeWebhookUrl: () => setup.webhookUrl,
    helpers: {
      async httpRequestWithAuthentication(name: string, options: { method: string; url: string; body?: unknown }) {
        const credential = setup.credentials[name] ?? {};
        calls.push({ method: options.method, url: options.url });
        const response = await fetch(options.url, {
          method: options.method,
          headers: { authorization: `Bearer ${String(credential.apiKey)}`, ...(options.body ? { 'content-type': 'application/json' } : {}) },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
        });
        const text = await response.text();
        return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: text ? JSON.parse(text) : undefined };
      },
    },
  };
  return { context: hook as unknown as IHookFunctions, staticData, calls, logs };
}

export interface FakeResponse {
  statusCode?: number;
  body?: unknown;
}

/** IWebhookFunctions for `webhook()`: the request n8n received, byte for byte, and a response to write. */
export function webhookContext(setup: ContextSetup & { body: Buffer; headers: Record<string, string | string[]>; rawBodyLazily?: boolean }) {
  const { context, staticData, logs, reads } = base(setup);
  const response: FakeResponse = {};
  const request: { rawBody?: Buffer; headers: typeof setup.headers; readRawBody?: () => Promise<void> } = { headers: setup.headers };
  if (setup.rawBodyLazily) {
    request.readRawBody = async () => {
      request.rawBody = setup.body;
    };
  } else request.rawBody = setup.body;
  const res = {
    status(code: number) {
      response.statusCode = code;
      return res;
    },
    json(body: unknown) {
      response.body = body;
      return res;
    },
  };
  const webhook = {
    ...context,
    getRequestObject: () => request,
    getResponseObject: () => res,
    getHeaderData: () => setup.headers,
    helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
  };
  return { context: webhook as unknown as IWebhookFunctions, staticData, response, logs, credentialReads: reads };
}
