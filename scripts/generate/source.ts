/**
 * Writes values as TypeScript source, so a generated node or credential states its description
 * as a literal: n8n's lint and scanner read the literal, and so does a person opening the file.
 */

/** Code written as it is, not as a value (e.g. `NodeConnectionTypes.Main`). */
export class Code {
  constructor(readonly text: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const INDENT = '  ';

function text(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** `value` as source, indented `depth` levels; objects and arrays one entry a line. */
export function source(value: unknown, depth = 0): string {
  if (value instanceof Code) return value.text;
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const inner = INDENT.repeat(depth + 1);
  const outer = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((item) => typeof item !== 'object' || item === null || item instanceof Code);
    if (scalars) return `[${value.map((item) => source(item)).join(', ')}]`;
    return `[\n${value.map((item) => `${inner}${source(item, depth + 1)},`).join('\n')}\n${outer}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const key = (name: string) => (IDENTIFIER.test(name) ? name : text(name));
    return `{\n${entries.map(([name, item]) => `${inner}${key(name)}: ${source(item, depth + 1)},`).join('\n')}\n${outer}}`;
  }
  throw new Error(`Cannot write ${typeof value} as source.`);
}
