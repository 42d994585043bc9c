/**
 * n8n's own execution contexts for tests: n8n-core's HookContext, WebhookContext and
 * RoutingNode, and n8n's own CredentialsHelper, from the pinned runtime that
 * `npm run n8n:install` puts in `.n8n/runtime` (npm test runs it before jest). Only what needs
 * a database is replaced: a credential's decrypted data is handed over as the test gives it.
 * So a node under test sees what it sees in n8n: the mode n8n passes for test and production
 * runs, the URL n8n computes, headers added by the credential's own `authenticate`, and
 * requests sent by n8n's HTTP client.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ICredentialDataDecryptedObject,
  ICredentialType,
  IDataObject,
  ICredentialTestFunctions,
  IHookFunctions,
  IHttpRequestOptions,
  INode,
  INodeExecutionData,
  INodeType,
  ITriggerFunctions,
  IWebhookFunctions,
  WorkflowActivateMode,
} from 'n8n-workflow';
import { RUNTIME_DIR } from '../../harness/paths';

const MODULES = join(RUNTIME_DIR, 'node_modules');

/** The runtime's classes, as far as these tests use them; they are n8n's JavaScript, untyped here. */
interface Runtime {
  Workflow: new (parameters: IDataObject) => { expression: { acquireIsolate(): Promise<unknown>; releaseIsolate(): Promise<void> } };
  HookContext: new (...parameters: unknown[]) => IHookFunctions;
  WebhookContext: new (...parameters: unknown[]) => IWebhookFunctions;
  TriggerContext: new (...parameters: unknown[]) => ITriggerFunctions;
  ExecuteContext: new (...parameters: unknown[]) => object;
  RoutingNode: new (...parameters: unknown[]) => { runNode(): Promise<INodeExecutionData[][] | undefined> };
  CredentialTestContext: new (additionalData: object) => ICredentialTestFunctions;
  createEmptyRunExecutionData: () => object;
  credentialsHelperPrototype: object;
  Container: { set(token: unknown, value: unknown): void };
  Logger: unknown;
}

let loaded: Runtime | undefined;

function load(): Runtime {
  if (loaded !== undefined) return loaded;
  if (!existsSync(join(MODULES, 'n8n-core', 'package.json'))) {
    throw new Error(`n8n-core is not installed at ${MODULES}: run \`npm run n8n:install\` first (npm test does).`);
  }
  // n8n-core creates its instance settings (an encryption key file) in the user folder on first use: not the tester's ~/.n8n.
  const userFolder = mkdtempSync(join(tmpdir(), 'convhooks-n8n-user-'));
  process.env.N8N_USER_FOLDER = userFolder;
  process.on('exit', () => rmSync(userFolder, { recursive: true, force: true }));
  /* eslint-disable @typescript-eslint/no-require-imports */
  const core = require(join(MODULES, 'n8n-core'));
  const workflow = require(join(MODULES, 'n8n-workflow'));
  const { CredentialsHelper } = require(join(MODULES, 'n8n', 'dist', 'credentials-helper.js'));
  const { Container } = require(join(MODULES, '@n8n', 'di'));
  const { Logger } = require(join(MODULES, '@n8n', 'backend-common'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  loaded = {
    Workflow: workflow.Workflow,
    HookContext: core.HookContext,
    WebhookContext: core.WebhookContext,
    TriggerContext: core.TriggerContext,
    ExecuteContext: core.ExecuteContext,
    RoutingNode: core.RoutingNode,
    CredentialTestContext: core.CredentialTestContext,
    createEmptyRunExecutionData: workflow.createEmptyRunExecutionData,
    credentialsHelperPrototype: CredentialsHelper.prototype,
    Container,
    Logger,
  };
  // Contexts take n8n's logger from its container: one that keeps the lines for the test, not the console.
  const record = (level: string) => (message: string) => logSink.push(`${level}: ${message}`);
  const logger = { info: record('info'), warn: record('warn'), error: record('error'), debug: () => undefined, scoped: () => logger };
  Container.set(Logger, logger);
  return loaded;
}

/** What n8n's logger received since the latest context was made (tests make and use one at a time). */
let logSink: string[] = [];

function freshLog(): string[] {
  logSink = [];
  return logSink;
}

/** What a node is given of one credential: its class (for `authenticate`, `test`) and the data a user saved. */
export interface CredentialSetup {
  readonly type: ICredentialType;
  readonly id: string;
  readonly data: ICredentialDataDecryptedObject;
}

/** One request n8n's client sent on the node's behalf, after the credential's `authenticate`. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, unknown>>;
}

/** Where n8n serves webhooks in these tests: test URLs under `webhook-test`, production under `webhook`. */
export const N8N_BASE_URL = 'http://127.0.0.1:5678';

interface WorkflowSetup {
  readonly nodeType: INodeType;
  readonly nodeId: string;
  readonly webhookId: string;
  readonly parameters: INode['parameters'];
  readonly credentials: readonly CredentialSetup[];
  readonly staticData: IDataObject;
}

/**
 * n8n's CredentialsHelper with its database reads replaced: `authenticate`, the usable-by-node
 * check and pre-authentication are n8n's own, reading the credential classes given here.
 */
function credentialsHelper(credentials: readonly CredentialSetup[], reads: { count: number }, sent: SentRequest[]) {
  const runtime = load();
  const byName = new Map(credentials.map((credential) => [credential.type.name, credential]));
  const find = (name: string) => {
    const credential = byName.get(name);
    if (credential === undefined) throw new Error(`No ${name} credential in this test's setup.`);
    return credential;
  };
  const helper = Object.create(runtime.credentialsHelperPrototype) as {
    credentialTypes: unknown;
    getDecrypted: (...parameters: unknown[]) => Promise<ICredentialDataDecryptedObject>;
    authenticate: (...parameters: unknown[]) => Promise<IHttpRequestOptions>;
  };
  helper.credentialTypes = { getByName: (name: string) => find(name).type, getParentTypes: () => [] };
  helper.getDecrypted = async (_additionalData, _nodeCredentials, type) => {
    reads.count += 1;
    return { ...find(type as string).data };
  };
  const authenticate = helper.authenticate.bind(helper);
  helper.authenticate = async (...parameters) => {
    const options = await authenticate(...parameters);
    sent.push({ method: options.method ?? 'GET', url: `${options.baseURL ?? ''}${options.url}`, headers: { ...options.headers } });
    return options;
  };
  return helper;
}

function workflowFor(setup: WorkflowSetup) {
  const runtime = load();
  const { description } = setup.nodeType;
  const node: INode = {
    id: setup.nodeId,
    name: description.defaults.name ?? description.displayName,
    type: description.name,
    typeVersion: Array.isArray(description.version) ? Math.max(...description.version) : description.version,
    position: [0, 0],
    webhookId: setup.webhookId,
    parameters: setup.parameters,
    credentials: Object.fromEntries(setup.credentials.map((credential) => [credential.type.name, { id: credential.id, name: credential.type.displayName }])),
  };
  const nodeTypes = { getByName: () => setup.nodeType, getByNameAndVersion: () => setup.nodeType, getKnownTypes: () => ({}) };
  // n8n keeps a node's static data under `node:<name>`; the test's object is that entry, so it sees every write.
  const staticData = { [`node:${node.name}`]: setup.staticData };
  const workflow = new runtime.Workflow({ id: 'workflow-1', name: 'Test workflow', nodes: [node], connections: {}, active: true, nodeTypes, staticData, settings: {} });
  return { workflow, node };
}

function additionalData(credentials: readonly CredentialSetup[], extra: IDataObject = {}) {
  const reads = { count: 0 };
  const sent: SentRequest[] = [];
  const data = {
    credentialsHelper: credentialsHelper(credentials, reads, sent),
    webhookBaseUrl: `${N8N_BASE_URL}/webhook`,
    webhookTestBaseUrl: `${N8N_BASE_URL}/webhook-test`,
    webhookWaitingBaseUrl: `${N8N_BASE_URL}/webhook-waiting`,
    formWaitingBaseUrl: `${N8N_BASE_URL}/form-waiting`,
    restApiUrl: `${N8N_BASE_URL}/rest`,
    instanceBaseUrl: `${N8N_BASE_URL}/`,
    variables: {},
    ...extra,
  };
  return { data, reads, sent };
}

/** The webhook as n8n registers it for a trigger: test runs are `isTest`, production runs are not. */
function webhookData(nodeType: INodeType, node: INode, isTest: boolean) {
  const [webhookDescription] = nodeType.description.webhooks ?? [];
  return { isTest, webhookDescription, node: node.name, workflowId: 'workflow-1', httpMethod: 'POST', path: webhookDescription?.path };
}

/**
 * The context n8n runs `checkExists`, `create` and `delete` in. n8n passes mode `trigger` with
 * activation `activate` when a workflow is published, and mode `manual` with activation
 * `manual` when the editor listens for a test event (then the URL is the test URL); `init` at
 * n8n's start and `update` for a republish.
 */
export function n8nHookContext(setup: WorkflowSetup & { readonly mode: 'trigger' | 'manual'; readonly activation?: WorkflowActivateMode }) {
  const runtime = load();
  const { workflow, node } = workflowFor(setup);
  const { data, reads, sent } = additionalData(setup.credentials);
  const isTest = setup.mode === 'manual';
  const context = new runtime.HookContext(workflow, node, data, setup.mode, isTest ? 'manual' : (setup.activation ?? 'activate'), webhookData(setup.nodeType, node, isTest));
  return { context, sent, credentialReads: reads, logs: freshLog() };
}

/** The context n8n runs a node's `trigger()` in as it activates a published workflow. */
export function n8nTriggerContext(setup: WorkflowSetup & { readonly activation: WorkflowActivateMode }) {
  const runtime = load();
  const { workflow, node } = workflowFor(setup);
  const { data } = additionalData(setup.credentials);
  return new runtime.TriggerContext(workflow, node, data, 'trigger', setup.activation);
}

/**
 * The context n8n runs `webhook()` in: mode `webhook` for a production URL, `manual` for a
 * test URL, the Express request (raw body included) and response n8n hands over.
 */
export function n8nWebhookContext(setup: WorkflowSetup & { readonly mode: 'webhook' | 'manual'; readonly request: object; readonly response: object }) {
  const runtime = load();
  const { workflow, node } = workflowFor(setup);
  const { data, reads } = additionalData(setup.credentials, { httpRequest: setup.request, httpResponse: setup.response } as IDataObject);
  const context = new runtime.WebhookContext(workflow, node, data, setup.mode, webhookData(setup.nodeType, node, setup.mode === 'manual'), [], null);
  return { context, credentialReads: reads, logs: freshLog() };
}

/**
 * Runs a credential's declarative `test` the way n8n's credentials tester does: a one-property
 * node whose routing is the test request, run by n8n-core's RoutingNode in mode `internal`.
 * Resolves to the response n8n received, or rejects with n8n's error.
 */
export async function runCredentialTestRequest(credential: CredentialSetup, nodeType: INodeType) {
  const runtime = load();
  if (credential.type.test === undefined) throw new Error(`${credential.type.name} has no test request.`);
  const testNodeType: INodeType = {
    description: {
      ...nodeType.description,
      credentials: [{ name: credential.type.name, required: true }],
      properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: credential.type.test.request }, default: '' }],
    },
  };
  const { workflow, node } = workflowFor({ nodeType: testNodeType, nodeId: 'credential-test', webhookId: 'credential-test', parameters: { temp: '' }, credentials: [credential], staticData: {} });
  const { data, sent } = additionalData([credential], { currentNodeParameters: node.parameters });
  const executeData = { node, data: {}, source: null };
  const execute = new runtime.ExecuteContext(workflow, node, data, 'internal', runtime.createEmptyRunExecutionData(), 0, [], { main: [[{ json: {} }]] }, executeData, []);
  const routing = new runtime.RoutingNode(execute, testNodeType, { id: credential.id, name: credential.type.displayName, type: credential.type.name, data: credential.data });
  await workflow.expression.acquireIsolate();
  try {
    return { output: await routing.runNode(), sent };
  } finally {
    await workflow.expression.releaseIsolate();
  }
}

/** The `this` n8n gives a node's `credentialTest` method when a user saves a credential. */
export function n8nCredentialTestContext(): ICredentialTestFunctions {
  return new (load().CredentialTestContext)(additionalData([]).data);
}
