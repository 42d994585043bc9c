/**
 * A vendor's trigger in n8n's own contexts (test/support/n8n-runtime.ts): the node and its
 * credential class as n8n loads them, the mode n8n passes for a test run or a production run,
 * and HTTP through n8n's client with the credential's own `authenticate`.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters, WorkflowActivateMode } from 'n8n-workflow';
import type { VendorId } from '../../shared';
import { PACKAGE } from './packages';
import { N8N_BASE_URL, n8nHookContext, n8nTriggerContext, n8nWebhookContext, type CredentialSetup } from './n8n-runtime';


/** The trigger's webhook id in every context here, so n8n computes these two URLs for it. */
const WEBHOOK_ID = '7f3c';
export const PRODUCTION_URL = `${N8N_BASE_URL}/webhook/${WEBHOOK_ID}/webhook`;
export const TEST_URL = `${N8N_BASE_URL}/webhook-test/${WEBHOOK_ID}/webhook`;

export interface ContextSetup {
  nodeType: VendorId;
  /** The credential's id as the node refers to it; a fresh one per context unless given. */
  credentialId?: string;
  /** The node's id: n8n's identity of one trigger across requests; a fresh one per context unless given. */
  nodeId?: string;
  /** The id in the node's webhook URLs; one shared by every trigger here unless given. */
  webhookId?: string;
  parameters: INodeParameters;
  /** The saved data of each credential the node has, by credential type name. */
  credentials: Record<string, ICredentialDataDecryptedObject>;
  staticData?: IDataObject;
}

let contexts = 0;

function common(setup: ContextSetup) {
  contexts += 1;
  const { node, credential } = PACKAGE[setup.nodeType];
  const credentials: CredentialSetup[] = Object.entries(setup.credentials).map(([name, data]) => {
    if (name !== credential.name) throw new Error(`${setup.nodeType}'s node takes the ${credential.name} credential, not ${name}.`);
    return { type: credential, id: setup.credentialId ?? `credential-${contexts}`, data };
  });
  return {
    nodeType: node,
    nodeId: setup.nodeId ?? `node-${contexts}`,
    webhookId: setup.webhookId ?? WEBHOOK_ID,
    parameters: setup.parameters,
    credentials,
    staticData: setup.staticData ?? {},
  };
}

/** The context of `checkExists`, `create` and `delete`: a published workflow (`trigger`) unless the editor listens for a test event (`manual`). */
export function hookContext(setup: ContextSetup & { mode?: 'trigger' | 'manual'; activation?: WorkflowActivateMode }) {
  const shared = common(setup);
  const { context, sent, logs } = n8nHookContext({ ...shared, mode: setup.mode ?? 'trigger', activation: setup.activation });
  return { context, staticData: shared.staticData, calls: sent, logs };
}

/** The context of `trigger()`: n8n activating a published workflow. */
export function triggerContext(setup: ContextSetup & { activation: WorkflowActivateMode }) {
  return n8nTriggerContext({ ...common(setup), activation: setup.activation });
}

export interface FakeResponse {
  statusCode?: number;
  body?: unknown;
}

/**
 * The context of `webhook()`: a delivery to the production URL (`webhook`) unless to the test
 * URL (`manual`); the request n8n received, byte for byte, and a response to write.
 */
export function webhookContext(
  setup: ContextSetup & { body: Buffer; headers: Record<string, string | string[]>; rawBodyLazily?: boolean; mode?: 'webhook' | 'manual' },
) {
  const shared = common(setup);
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
  const { context, credentialReads, logs } = n8nWebhookContext({ ...shared, mode: setup.mode ?? 'webhook', request, response: res });
  return { context, staticData: shared.staticData, response, credentialReads, logs };
}
