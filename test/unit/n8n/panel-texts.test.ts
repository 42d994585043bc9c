/**
 * The trigger panels and credentials speak as n8n's own triggers do: a notice says one thing in
 * at most two short sentences, a description in one, and neither names the package's internal
 * fields or argues its reasoning; the details are behind the node's Docs link.
 */
import { VENDORS, type VendorDefinition } from '../../../shared';
import { LIMITS, panelTexts, sentences, words } from '../../../scripts/panel-texts';

/** Names a user of the editor has no use for: the item's ConvHooks block, the node's stored state, its internals. */
const INTERNAL = [/convhooks\./i, /recoveredFrom/, /static ?data/i, /\bdedupe/i, /schemaIssues/, /webhookResponse/];

const vendors = Object.values(VENDORS) as VendorDefinition[];

describe.each(vendors)('the $name trigger panel and credential', (vendor) => {
  const texts = panelTexts(vendor);

  it('has texts to check', () => {
    expect(texts.filter((text) => text.kind === 'description').length).toBeGreaterThan(5);
  });

  it.each(texts.map((text) => [text.where, text] as const))('%s stays short', (_where, text) => {
    const limit = LIMITS[text.kind];
    expect({ text: text.text, sentences: sentences(text.text) <= limit.sentences, words: words(text.text) <= limit.words }).toEqual({ text: text.text, sentences: true, words: true });
  });

  it.each(texts.map((text) => [text.where, text] as const))('%s names no internal field', (_where, text) => {
    expect(INTERNAL.filter((name) => name.test(text.text))).toEqual([]);
  });
});

describe('the counting', () => {
  it('counts the words a reader sees and the sentences, not abbreviations or links', () => {
    expect(words('Set up a <a href="https://example.com" target="_blank">webhook</a> first')).toBe(5);
    expect(sentences('One, e.g. this. Two!')).toBe(2);
    expect(sentences('Settings → Webhooks; a.b.c stays one')).toBe(1);
  });
});
