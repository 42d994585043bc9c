/**
 * Every recipe in recipes/ imported into a real n8n, published, and driven by its trigger's
 * event from the simulator. The mapping step ("Edit Fields") must produce exactly the fields
 * the recipe promises. The destination call that follows cannot reach Slack, Google,
 * HubSpot or Salesforce from here, so the execution is expected to end in that node's error.
 */
import { generateKeyPairSync } from 'node:crypto';
import { executionsOf, type Deployment } from '../../harness/deployment';
import { fire } from '../../harness/traffic';
import { harnessPort } from '../../harness/ports';
import { importRecipe, loadRecipes, recipeTrigger } from '../../harness/recipes';
import { startStack, type Stack } from '../../harness/stack';
import { nodeTypeOf } from '../../harness/workflows';
import { VENDOR_IDS } from '../../shared';

jest.setTimeout(120_000);

type Payload = Record<string, any>;

/** What each recipe's mapping step promises, computed from the delivered payload. */
const PROMISES: Record<string, { mapping: string; destination: string; fields: (p: Payload) => Record<string, unknown> }> = {
  'kolvera-replies-to-slack.json': {
    mapping: 'Slack message',
    destination: 'Post to Slack',
    fields: (p) => ({
      channel: '#sales-replies',
      text: `:speech_balloon: Contact ${p.data.contactId} replied to campaign ${p.data.campaignId} (${p.timestamp})`,
      contactId: p.data.contactId,
      campaignId: p.data.campaignId,
    }),
  },
  'konvox-unsubscribes-to-salesforce.json': {
    mapping: 'CRM update',
    destination: 'Flag contact in Salesforce',
    fields: (p) => ({
      contactId: p.data.contactId,
      optedOut: true,
      reason: p.data.reason,
      campaignId: p.data.campaignId,
      enrollmentId: p.data.enrollmentId,
      unsubscribedAt: p.timestamp,
    }),
  },
  'converc-transcripts-to-sheets.json': {
    mapping: 'Sheet row',
    destination: 'Append to sheet',
    fields: (p) => ({ 'Event ID': p.id, Event: 'call.transcript_ready', 'Created at': p.createdAt, Organization: p.organizationId, 'Call data': JSON.stringify(p.data) }),
  },
  'konver-people-to-hubspot.json': {
    mapping: 'HubSpot contact',
    destination: 'Upsert HubSpot contact',
    fields: (p) => ({
      email: p.data.entity.email,
      firstName: 'John',
      lastName: 'Doe',
      jobTitle: p.data.entity.position,
      phone: p.data.entity.phones[0].phone,
      konverPersonId: p.data.entity.id,
    }),
  },
  'convo-action-items-to-slack.json': {
    mapping: 'Slack message',
    destination: 'Post to Slack',
    fields: (p) => ({
      channel: '#meetings',
      text: `:white_check_mark: ${p.data.actionItemCount} action items are ready for conversation ${p.data.conversationId}`,
      conversationId: p.data.conversationId,
      actionItemCount: p.data.actionItemCount,
    }),
  },
};

// A real key, so the service-account logins get as far as the network.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

/** Stand-ins for the destinations' credentials: enough to publish, never valid anywhere. */
const PLACEHOLDER_CREDENTIALS: Record<string, Record<string, unknown>> = {
  slackApi: { accessToken: 'xoxb-recipe-test-placeholder' },
  googleApi: { email: 'recipes@example.iam.gserviceaccount.com', privateKey },
  hubspotAppToken: { appToken: 'pat-recipe-test-placeholder' },
  salesforceJwtApi: { environment: 'production', clientId: 'placeholder', username: 'recipes@example.com', privateKey },
};

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ n8nPort: harnessPort(5711), name: 'recipes' });
}, 600_000);

afterAll(() => stack?.stop(), 60_000);

const recipes = loadRecipes();

it('ships a recipe for each of the five documented vendors, covering Slack, a CRM and Google Sheets', () => {
  expect(recipes.map((recipe) => recipeTrigger(recipe).vendor.id)).toEqual(expect.arrayContaining(['konver', 'converc', 'kolvera', 'konvox', 'convo']));
  const types = recipes.flatMap((recipe) => recipe.nodes.map((node) => node.type));
  expect(types).toEqual(expect.arrayContaining(['n8n-nodes-base.slack', 'n8n-nodes-base.googleSheets', 'n8n-nodes-base.hubspot', 'n8n-nodes-base.set', 'n8n-nodes-base.stickyNote']));
  // Our triggers by the type their installed package gives them, so that a user's import finds them.
  const triggerTypes = VENDOR_IDS.map(nodeTypeOf);
  expect(types.filter((type) => !type.startsWith('n8n-nodes-base.') && !triggerTypes.includes(type))).toEqual([]);
  expect(Object.keys(PROMISES).sort()).toEqual(recipes.map((recipe) => recipe.file));
});

describe.each(recipes.map((recipe) => [recipe.file, recipe] as const))('recipe %s', (file, recipe) => {
  let deployment: Deployment;

  it('maps the event into exactly the promised fields, then reaches the destination', async () => {
    const promise = PROMISES[file]!;
    const { trigger, vendor } = recipeTrigger(recipe);
    deployment = await importRecipe(stack, recipe, PLACEHOLDER_CREDENTIALS);
    await deployment.publish();
    const [event] = trigger.parameters.events as [string];
    const { attempts } = await fire(stack, vendor.id, event);
    expect(attempts.map((attempt) => attempt.status)).toEqual([200]);
    const payload = JSON.parse(attempts[0]!.requestBody) as Payload;

    const [execution] = await executionsOf(stack, deployment.id, 1);
    const runData = execution!.data!.resultData!.runData!;
    const mapped = runData[promise.mapping]?.[0]?.data?.main?.[0]?.map((item) => item.json);
    expect(mapped).toEqual([promise.fields(payload)]);
    // The destination ran with the mapped item and failed only because it cannot reach its service.
    expect(Object.keys(runData)).toContain(promise.destination);
    expect(execution!.status).toBe('error');
    expect(execution!.data!.resultData!.error?.message).toMatch(/connection cannot be established|ENOTFOUND|EAI_AGAIN|getaddrinfo/);
    await deployment.unpublish();
  });
});
