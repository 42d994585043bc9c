import type { EventDefinition, VendorDefinition } from '../../shared';

/**
 * What Zapier shows for one event trigger, worded from the event's title ("Call ended") the
 * way Zapier's naming guide asks: a label "New Ended Call", a noun that completes "triggers on
 * a new …", and a description that starts "Triggers when".
 */
export interface TriggerWording {
  readonly key: string;
  readonly noun: string;
  readonly label: string;
  readonly description: string;
}

/** Closing words that mean the thing now exists, so it is simply "New <thing>". */
const ARRIVALS: ReadonlySet<string> = new Set(['created', 'ready', 'found', 'added']);

/** Closing words that are already one of Zapier's label adjectives. */
const OWN_ADJECTIVE: ReadonlyMap<string, string> = new Map([
  ['updated', 'Updated'],
  ['changed', 'Updated'],
  ['deleted', 'Deleted'],
]);

/** Past participles that do not end in "ed" but still close a title like "Campaign email sent". */
const IRREGULAR_PARTICIPLES: ReadonlySet<string> = new Set(['sent', 'paid', 'won', 'lost', 'held', 'made', 'done']);

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const titleCase = (words: readonly string[]) => words.map(capitalize).join(' ');

function isParticiple(word: string): boolean {
  return word.endsWith('ed') || IRREGULAR_PARTICIPLES.has(word) || ARRIVALS.has(word);
}

/** "Call ended" → noun "Call", label "New Ended Call"; "Test event" stays whole: "New Test Event". */
function labelAndNoun(title: string): { noun: string; label: string } {
  const words = title.trim().split(/\s+/);
  const last = (words.at(-1) ?? '').toLowerCase();
  if (words.length < 2 || !isParticiple(last)) return { noun: titleCase(words), label: `New ${titleCase(words)}` };
  const noun = titleCase(words.slice(0, -1));
  if (ARRIVALS.has(last)) return { noun, label: `New ${noun}` };
  return { noun, label: `${OWN_ADJECTIVE.get(last) ?? `New ${capitalize(last)}`} ${noun}` };
}

/** Lower-cases the sentence's first letter to follow "Triggers when …:", unless it opens an acronym ("API"). */
function asClause(sentence: string): string {
  const trimmed = sentence.trim();
  const clause = /^[A-Z](?![A-Z])/.test(trimmed) ? trimmed.charAt(0).toLowerCase() + trimmed.slice(1) : trimmed;
  return /[.!?]$/.test(clause) ? clause : `${clause}.`;
}

/** Zapier keys allow letters, digits and underscores, starting with a letter. */
export function triggerKey(eventName: string): string {
  const key = eventName.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z]/.test(key) ? key : `event_${key}`;
}

export function triggerWording(vendor: VendorDefinition, eventName: string, event: EventDefinition): TriggerWording {
  return {
    key: triggerKey(eventName),
    ...labelAndNoun(event.title),
    description: `Triggers when ${vendor.name} sends the ${eventName} event: ${asClause(event.description)}`,
  };
}

/** Where a static hook's URL goes, for vendors whose webhooks the user adds by hand. */
export function staticHookDirections(vendor: VendorDefinition, settingsPath: string, eventName: string, event: EventDefinition): string {
  return (
    `In ${vendor.name}, open ${settingsPath} and add a webhook with the URL shown here. Tick only the ` +
    `"${event.title}" event (${eventName}): this trigger ignores every other event. Then copy the Webhook Secret ` +
    `${vendor.name} shows into this app's connection, so each delivery's signature can be checked; a delivery ` +
    'that is not signed with it starts nothing.'
  );
}
