import { createHash } from 'node:crypto';
import type { Condition, Filter } from '../../make/blueprint';
import { referenceHmacSha256 } from './reference-hmac';

/**
 * A tiny evaluator of Make's IML, for exactly the functions the generated filters and keys use,
 * as Make documents them: `sha256(text; [encoding]; [key])` (an HMAC when keyed), `map(array;
 * key; filterKey; filterValue)`, `get(array; index)` counting from 1, `replace` with a
 * `/pattern/flags` regular expression, `ifempty`, `length`, `lower`, `trim`. Anything else throws,
 * so a blueprint using a function not modelled here fails its test instead of passing unread.
 */

export interface Scope {
  /** Output bundles by module id. */
  readonly modules: Readonly<Record<number, unknown>>;
  /** Custom variables: `var.organization.name`. */
  readonly variables: { readonly organization: Readonly<Record<string, string>> };
}

type Value = unknown;

const KEYWORDS: Record<string, Value> = { emptystring: '', space: ' ', true: true, false: false };

const isEmpty = (value: Value) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
const text = (value: Value): string => (isEmpty(value) ? '' : String(value));
const list = (value: Value): unknown[] => (Array.isArray(value) ? value : []);
const field = (value: Value, key: string): Value => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined);

function sha256(input: Value, encoding: Value = 'hex', key?: Value): string {
  const body = Buffer.from(text(input), 'utf8');
  const digest = key === undefined ? createHash('sha256').update(body).digest() : referenceHmacSha256(Buffer.from(text(key), 'utf8'), body);
  return digest.toString(encoding === 'base64' ? 'base64' : 'hex');
}

function replace(input: Value, search: Value, replacement: Value): string {
  const pattern = /^\/(.*)\/([a-z]*)$/.exec(text(search));
  return pattern ? text(input).replace(new RegExp(pattern[1] ?? '', pattern[2]), text(replacement)) : text(input).split(text(search)).join(text(replacement));
}

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  sha256,
  replace,
  length: (value) => (Array.isArray(value) ? value.length : text(value).length),
  lower: (value) => text(value).toLowerCase(),
  trim: (value) => text(value).trim(),
  ifempty: (value, fallback) => (isEmpty(value) ? fallback : value),
  get: (array, index) => list(array)[Number(index) - 1],
  map: (array, key, filterKey, filterValue) =>
    list(array)
      .filter((item) => filterKey === undefined || text(filterValue).split(',').includes(text(field(item, text(filterKey)))))
      .map((item) => field(item, text(key))),
};

/** Recursive descent over one `{{…}}` expression. */
class Parser {
  private at = 0;
  constructor(
    private readonly source: string,
    private readonly scope: Scope,
  ) {}

  parse(): Value {
    const value = this.expression();
    this.space();
    if (this.at !== this.source.length) throw new Error(`Unexpected "${this.source.slice(this.at)}" in ${this.source}`);
    return value;
  }

  private space(): void {
    while (this.source[this.at] === ' ') this.at += 1;
  }

  private expression(): Value {
    this.space();
    if (this.source[this.at] === '"') return this.string();
    const word = /^[\w.`]+/.exec(this.source.slice(this.at))?.[0];
    if (word === undefined) throw new Error(`Expected a value at "${this.source.slice(this.at)}"`);
    this.at += word.length;
    if (this.source[this.at] === '(') return this.call(word);
    if (Object.hasOwn(KEYWORDS, word)) return KEYWORDS[word];
    if (/^\d+$/.test(word)) return Number(word);
    return this.path(word);
  }

  private string(): string {
    const end = this.source.indexOf('"', this.at + 1);
    const value = this.source.slice(this.at + 1, end);
    this.at = end + 1;
    return value;
  }

  private call(name: string): Value {
    const fn = FUNCTIONS[name];
    if (fn === undefined) throw new Error(`The evaluator does not model Make's ${name}()`);
    this.at += 1;
    const args: Value[] = [];
    for (;;) {
      args.push(this.expression());
      this.space();
      const separator = this.source[this.at];
      this.at += 1;
      if (separator === ')') return fn(...args);
      if (separator !== ';') throw new Error(`Expected ; or ) in ${this.source}`);
    }
  }

  private path(word: string): Value {
    const [head = '', ...rest] = word.replace(/`/g, '').split('.');
    if (/^\d+$/.test(head)) return rest.reduce(field, this.scope.modules[Number(head)]);
    if (head === 'var' && rest[0] === 'organization') return this.scope.variables.organization[rest[1] ?? ''];
    throw new Error(`Unknown name ${word}`);
  }
}

/** A mapped value: one `{{…}}` alone keeps its type, text around it makes it text. */
export function evaluate(template: string, scope: Scope): Value {
  const whole = /^\{\{(.*)\}\}$/.exec(template);
  if (whole && !whole[1]?.includes('}}')) return new Parser(whole[1] ?? '', scope).parse();
  return template.replace(/\{\{(.*?)\}\}/g, (_, expression: string) => text(new Parser(expression, scope).parse()));
}

function holds({ a, o, b }: Condition, scope: Scope): boolean {
  const left = evaluate(a, scope);
  const right = evaluate(b, scope);
  switch (o) {
    case 'text:equal':
      return text(left) === text(right);
    case 'number:equal':
      return Number(left) === Number(right);
    case 'number:greater':
      return Number(left) > Number(right);
    case 'boolean:equal':
      return String(left) === String(right);
  }
}

/** Make passes a bundle when any group of conditions holds whole. */
export function passes(filter: Filter, scope: Scope): boolean {
  return filter.conditions.some((group) => group.every((condition) => holds(condition, scope)));
}
