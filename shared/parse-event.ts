import { createHash } from 'node:crypto';
import type { z } from 'zod/v4';
import { singleHeader, type HeaderMap } from './headers';
import { FORBIDDEN_KEYS, isJsonObject, jsonKind, type JsonObject, type JsonValue } from './json';
import { compileCertainCheck, type CertainCheck } from './schema-check';
import type { EventName, VendorDefinition } from './vendor-definition';

/**
 * A payload that names one of the vendor's documented events. Only a body that matched the
 * event's schema is typed by it; one that drifted is the JSON object as it arrived, so a
 * consumer must check `valid` before it relies on a documented field.
 */
export type KnownEvent<V extends VendorDefinition> = {
  [K in EventName<V>]:
    | { readonly type: K; readonly valid: true; readonly payload: z.output<V['events'][K]['schema']> }
    | { readonly type: K; readonly valid: false; readonly payload: JsonObject };
}[EventName<V>];

/** A payload whose event type the vendor's doc does not list (or that names none): no schema vouches for it. */
export interface UnknownEvent {
  readonly type: 'unknown';
  readonly valid: false;
  readonly rawType: string | null;
  readonly payload: JsonObject;
}

export type VendorEvent<V extends VendorDefinition> = KnownEvent<V> | UnknownEvent;

export interface SchemaIssue {
  /** Dotted path into the body, e.g. `data.entity.name`; a header's name for header issues. */
  readonly path: string;
  readonly message: string;
}

export type ParseErrorCode =
  | 'empty_body'
  | 'body_too_large'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'not_an_object';

export interface ParseOptions {
  /** Headers of the delivery, for vendors that also name the event type in one. */
  readonly headers?: HeaderMap;
  readonly maxBodyBytes?: number;
}

export type ParseResult<V extends VendorDefinition> =
  | {
      readonly ok: true;
      readonly event: VendorEvent<V>;
      /** The JSON object as it arrived (less any prototype keys), for hosts that pass every payload on untyped. */
      readonly body: JsonObject;
      /** The type the delivery names, known or not; null when it names none. */
      readonly eventType: string | null;
      /** Equal for repeated deliveries of one event, different for different events. */
      readonly dedupeKey: string;
      /**
       * Where the delivery drifted: from the documented schema (then `event.valid` is false),
       * and also a removed prototype key or a header that disagrees with the body, which a
       * valid event can have too. The event is kept all the same.
       */
      readonly issues: readonly SchemaIssue[];
    }
  | { readonly ok: false; readonly error: ParseErrorCode; readonly message: string };

/** Far above any documented payload, far below what would strain a host. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

type Failure = Extract<ParseResult<VendorDefinition>, { ok: false }>;

function failure(error: ParseErrorCode, message: string): Failure {
  return { ok: false, error, message };
}

export function checkBodySize(body: Uint8Array, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): Failure | undefined {
  if (body.byteLength === 0) return failure('empty_body', 'The request body is empty; a JSON object was expected.');
  if (body.byteLength > maxBodyBytes) {
    return failure('body_too_large', `The request body has ${body.byteLength} bytes; the limit is ${maxBodyBytes}.`);
  }
  return undefined;
}

function decodeJson(body: Uint8Array): { ok: true; value: JsonValue } | Failure {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return failure('invalid_utf8', 'The request body is not valid UTF-8.');
  }
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return failure('invalid_json', `The request body is not valid JSON${detail}.`);
  }
}

/** Whether any object in the tree has a `__proto__`, `constructor` or `prototype` key. Allocation-free, iterative. */
function holdsForbiddenKey(root: JsonObject): boolean {
  const stack: JsonValue[] = [root];
  for (let value = stack.pop(); value !== undefined; value = stack.pop()) {
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    for (const key in value) {
      // Every forbidden key is 9 or 11 characters long: most keys are ruled out without a lookup.
      if ((key.length === 9 || key.length === 11) && FORBIDDEN_KEYS.has(key)) return true;
      const child = value[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return false;
}

/**
 * Removes own `__proto__`, `constructor` and `prototype` keys, which JSON.parse creates as
 * plain properties but a later copy (zod's, a merge) would turn into a prototype. Iterative,
 * so no nesting depth can exhaust the stack.
 */
function stripForbiddenKeys(root: JsonObject, issues: SchemaIssue[]): void {
  const stack: { value: JsonValue; path: string }[] = [{ value: root, path: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]` }));
    } else if (isJsonObject(value)) {
      for (const key of Object.keys(value)) {
        const child = path === '' ? key : `${path}.${key}`;
        if (FORBIDDEN_KEYS.has(key)) {
          delete value[key];
          issues.push({ path: child, message: `The key "${key}" was removed: it could alter object prototypes.` });
        } else {
          stack.push({ value: value[key] ?? null, path: child });
        }
      }
    }
  }
}

function eventTypeOf(vendor: VendorDefinition, body: JsonObject, headers: HeaderMap, issues: SchemaIssue[]) {
  let fromBody: string | undefined;
  for (const field of vendor.eventType.bodyFields) {
    const value = body[field];
    if (typeof value === 'string') {
      fromBody = value;
      break;
    }
  }
  const { header } = vendor.eventType;
  const fromHeader = header === undefined ? undefined : singleHeader(headers, header);
  if (typeof fromBody === 'string') {
    if (fromHeader !== undefined && fromHeader !== fromBody) {
      issues.push({ path: header ?? '', message: `The header says "${fromHeader}" but the signed body says "${fromBody}"; the body wins.` });
    }
    return fromBody;
  }
  if (fromHeader !== undefined) return fromHeader;
  issues.push({
    path: vendor.eventType.bodyFields.join(' | '),
    message: 'The body names no event type.',
  });
  return null;
}

function dedupeKeyOf(vendor: VendorDefinition, body: JsonObject, rawType: string | null, raw: Uint8Array): string {
  const id = vendor.dedupe.idField === undefined ? undefined : body[vendor.dedupe.idField];
  if (typeof id === 'string' && id.length > 0) return `${vendor.id}:${rawType ?? 'unknown'}:${id}`;
  return `${vendor.id}:sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

const certainChecks = new WeakMap<z.ZodType, CertainCheck>();

/**
 * The schema's issues, or none. Most deliveries match their schema, and proving that without
 * zod's copy of the body is most of what validation costs; zod is asked only when that proof
 * fails, and then decides.
 */
function schemaIssues(schema: z.ZodType, body: JsonObject): readonly z.core.$ZodIssue[] {
  let certain = certainChecks.get(schema);
  if (certain === undefined) {
    certain = compileCertainCheck(schema);
    certainChecks.set(schema, certain);
  }
  if (certain(body)) return [];
  const checked = schema.safeParse(body);
  return checked.success ? [] : checked.error.issues;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((joined, key) => {
    if (typeof key === 'number') return `${joined}[${key}]`;
    return joined === '' ? String(key) : `${joined}.${String(key)}`;
  }, '');
}

/**
 * Turns the raw bytes of a delivery into the vendor's typed event. A body that is a JSON
 * object always yields an event: drift from the documented schema is reported in `issues`,
 * never by dropping the event. Never throws.
 */
export function parseEvent<V extends VendorDefinition>(
  vendor: V,
  raw: Uint8Array,
  options: ParseOptions = {},
): ParseResult<V> {
  return checkBodySize(raw, options.maxBodyBytes) ?? parseSizedEvent(vendor, raw, options.headers ?? {});
}

/** `parseEvent` for a caller that has already passed the body through `checkBodySize`. */
export function parseSizedEvent<V extends VendorDefinition>(vendor: V, raw: Uint8Array, headers: HeaderMap): ParseResult<V> {
  const decoded = decodeJson(raw);
  if (!decoded.ok) return decoded;
  const body = decoded.value;
  if (!isJsonObject(body)) {
    return failure('not_an_object', `The JSON body is ${jsonKind(body)}; a JSON object was expected.`);
  }
  const issues: SchemaIssue[] = [];
  // Keys, not text: a JSON escape can spell a forbidden key, and scanning long strings costs more than walking keys.
  if (holdsForbiddenKey(body)) stripForbiddenKeys(body, issues);
  const rawType = eventTypeOf(vendor, body, headers, issues);
  const dedupeKey = dedupeKeyOf(vendor, body, rawType, raw);
  const definition = rawType !== null && Object.hasOwn(vendor.events, rawType) ? vendor.events[rawType] : undefined;
  if (definition === undefined) {
    const event: UnknownEvent = { type: 'unknown', valid: false, rawType, payload: body };
    return { ok: true, event, body, eventType: rawType, dedupeKey, issues };
  }
  const schemaProblems = schemaIssues(definition.schema, body);
  for (const issue of schemaProblems) issues.push({ path: formatPath(issue.path), message: issue.message });
  // The body itself, not zod's copy: unknown fields stay and no payload is rebuilt. The cast
  // is sound because the schemas are loose objects without transforms or defaults, so a body
  // they accept is already their output.
  const event = { type: rawType, valid: schemaProblems.length === 0, payload: body } as KnownEvent<V>;
  return { ok: true, event, body, eventType: rawType, dedupeKey, issues };
}
