/** n8n's REST (owner setup, API keys) and public API, as a headless admin uses them. */

export interface Owner {
  readonly email: string;
  readonly password: string;
  readonly firstName: string;
  readonly lastName: string;
}

export const DEMO_OWNER: Owner = { email: 'demo@convhooks.dev', password: 'ConvHooks-demo-1', firstName: 'Demo', lastName: 'Owner' };

const BROWSER_ID = 'convhooks-harness';

async function rest(base: string, method: string, path: string, body?: unknown, cookie?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, cookie: response.headers.get('set-cookie') ?? undefined };
}

/** Creates the owner on a fresh instance (or logs in on a used one); returns the session cookie. */
async function ownerSession(base: string, owner: Owner = DEMO_OWNER): Promise<string> {
  let session = await rest(base, 'POST', '/rest/owner/setup', owner);
  if (session.status !== 200) session = await rest(base, 'POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
  if (session.status !== 200 || !session.cookie) throw new Error(`Could not sign in to n8n: ${session.status} ${JSON.stringify(session.body)}`);
  return session.cookie.split(';')[0] ?? '';
}

/** A GET on n8n's internal REST API, signed in as the owner, as the editor makes it. */
export async function restAsOwner(base: string, path: string, owner: Owner = DEMO_OWNER): Promise<unknown> {
  const answer = await rest(base, 'GET', path, undefined, await ownerSession(base, owner));
  if (answer.status !== 200) throw new Error(`n8n GET ${path} → ${answer.status}: ${JSON.stringify(answer.body)?.slice(0, 500)}`);
  return answer.body;
}

/** The version n8n reports in the settings its editor loads; only to a signed-in user. */
async function n8nVersion(base: string, cookie: string): Promise<string> {
  const settings = await rest(base, 'GET', '/rest/settings', undefined, cookie);
  const version: unknown = settings.body?.data?.versionCli;
  if (settings.status !== 200 || typeof version !== 'string') throw new Error(`n8n GET /rest/settings → ${settings.status}, without a version: ${JSON.stringify(settings.body)?.slice(0, 300)}`);
  return version;
}

/** A new public API key for the signed-in owner. */
async function ownerApiKey(base: string, cookie: string): Promise<string> {
  const scopes = await rest(base, 'GET', '/rest/api-keys/scopes', undefined, cookie);
  const created = await rest(base, 'POST', '/rest/api-keys', { label: `convhooks-${Date.now()}`, scopes: scopes.body.data, expiresAt: null }, cookie);
  if (created.status !== 200) throw new Error(`Could not create an n8n API key: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.data.rawApiKey as string;
}

/** An execution as the public API returns it with `includeData=true`, as far as the harness reads it. */
export interface Execution {
  readonly id: string;
  readonly status: string;
  readonly finished: boolean;
  readonly stoppedAt?: string | null;
  readonly data?: {
    readonly resultData?: {
      readonly runData?: Record<string, { data?: { main?: { json: Record<string, unknown> }[][] } }[]>;
      readonly error?: { message?: string };
    };
    /** What is still to run: for an execution that never started, the trigger's items. */
    readonly executionData?: {
      readonly nodeExecutionStack?: readonly { readonly node: { readonly name: string }; readonly data?: { main?: ({ json: Record<string, unknown> }[] | null)[] } }[];
    };
  };
}

export interface EditableWorkflow {
  readonly name: string;
  readonly nodes: readonly { readonly name: string; readonly parameters: Record<string, unknown> }[];
  readonly connections: unknown;
}

export class N8nApi {
  constructor(
    readonly base: string,
    private readonly apiKey: string,
    /** n8n's version: its public API changed between 1.x and 2.x. */
    readonly version: string,
  ) {}

  /** The public API as the owner (created on a fresh instance) with a new key, spoken as the running version speaks it. */
  static async asOwner(base: string, owner: Owner = DEMO_OWNER): Promise<N8nApi> {
    const cookie = await ownerSession(base, owner);
    return new N8nApi(base, await ownerApiKey(base, cookie), await n8nVersion(base, cookie));
  }

  /** n8n 2.x publishes a version of a workflow; 1.x only activates one (2.x keeps that as a deprecated alias). */
  private get publishes(): boolean {
    return Number(this.version.split('.')[0]) >= 2;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-n8n-api-key': this.apiKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new Error(`n8n ${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
    return parsed as T;
  }

  createCredential(name: string, type: string, data: Record<string, unknown>) {
    return this.call<{ id: string }>('POST', '/credentials', { name, type, data });
  }

  createWorkflow(workflow: Record<string, unknown>) {
    return this.call<{ id: string }>('POST', '/workflows', workflow);
  }

  /** Edits a workflow and publishes that version, as a user changing a live workflow does. */
  async publishEdited(id: string, edit: (workflow: EditableWorkflow) => EditableWorkflow) {
    const { name, nodes, connections } = await this.call<EditableWorkflow>('GET', `/workflows/${id}`);
    const edited = edit({ name, nodes, connections });
    await this.call('PUT', `/workflows/${id}`, { ...edited, settings: { executionOrder: 'v1' } });
    return this.publish(id);
  }

  publish(id: string) {
    return this.call<unknown>('POST', `/workflows/${id}/${this.publishes ? 'publish' : 'activate'}`);
  }

  unpublish(id: string) {
    return this.call<unknown>('POST', `/workflows/${id}/${this.publishes ? 'unpublish' : 'deactivate'}`);
  }

  /** Every execution of a workflow, page by page. */
  async allExecutions(workflowId: string, includeData: boolean): Promise<Execution[]> {
    const all: Execution[] = [];
    let cursor: string | undefined;
    do {
      const query = `workflowId=${workflowId}&includeData=${includeData}&limit=250${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await this.call<{ data: Execution[]; nextCursor?: string | null }>('GET', `/executions?${query}`);
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  async executions(workflowId: string): Promise<Execution[]> {
    const page = await this.call<{ data: Execution[] }>('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=250`);
    return page.data;
  }
}
