/**
 * Every text a trigger's panel and its credential show: the notices (shown as boxes) and the
 * descriptions (the tooltips of parameters and the lines under options), as n8n renders them.
 * `npx tsx scripts/panel-texts.ts` prints the longest of each per vendor, in words.
 */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import { credentialProperties } from '../credentials/credential-fields';
import { triggerDescription } from '../nodes/description';
import { VENDORS } from '../shared';
import type { VendorDefinition } from '../shared/vendor-definition';

export interface PanelText {
  readonly kind: 'notice' | 'description';
  /** Where it is shown, e.g. "node > Options > Include Headers". */
  readonly where: string;
  readonly text: string;
}

type Choice = INodeProperties | INodePropertyOptions | INodePropertyCollection;

function textsOf(choice: Choice, where: string): PanelText[] {
  // A notice's display name is its text: its name says where it is.
  const label = 'displayName' in choice && !('type' in choice && choice.type === 'notice') ? choice.displayName : choice.name;
  const here = `${where} > ${label}`;
  const own: PanelText[] = [];
  if ('type' in choice && choice.type === 'notice') own.push({ kind: 'notice', where: here, text: choice.displayName });
  if ('description' in choice && choice.description) own.push({ kind: 'description', where: here, text: choice.description });
  const children = 'options' in choice && Array.isArray(choice.options) ? (choice.options as Choice[]) : [];
  return [...own, ...children.flatMap((child) => textsOf(child, here))];
}

export function panelTexts(vendor: VendorDefinition): PanelText[] {
  const node = triggerDescription(vendor);
  return [
    { kind: 'description', where: 'node', text: node.description },
    ...node.properties.flatMap((property) => textsOf(property, 'node')),
    ...credentialProperties(vendor).flatMap((property) => textsOf(property, 'credential')),
  ];
}

/** What a reader sees: a link's text, not its markup. */
const visible = (text: string) => text.replace(/<[^>]+>/g, '');

export const words = (text: string): number => visible(text).split(/\s+/).filter(Boolean).length;

/** Sentences end at ., ! or ? before a space or the end; "e.g." and "i.e." end none. */
export function sentences(text: string): number {
  const plain = visible(text).replace(/\b(e\.g|i\.e)\./g, '$1').trim();
  return plain.split(/[.!?](?:\s+|$)/).filter((part) => part.trim() !== '').length;
}

/** n8n's own triggers say one thing: a notice in at most two short sentences, a description in one. */
export const LIMITS = {
  notice: { sentences: 2, words: 30 },
  description: { sentences: 1, words: 20 },
} as const;

export function withinLimits(kind: PanelText['kind'], text: string): boolean {
  return sentences(text) <= LIMITS[kind].sentences && words(text) <= LIMITS[kind].words;
}

function longest(texts: PanelText[], kind: PanelText['kind']): string {
  const [top] = texts.filter((each) => each.kind === kind).sort((a, b) => words(b.text) - words(a.text));
  return top ? `${words(top.text)} words, ${sentences(top.text)} sentence(s) (${top.where})` : 'none';
}

if (require.main === module) {
  for (const vendor of Object.values(VENDORS) as VendorDefinition[]) {
    const texts = panelTexts(vendor);
    console.log(`${vendor.name}\n  longest notice: ${longest(texts, 'notice')}\n  longest description: ${longest(texts, 'description')}`);
  }
}
