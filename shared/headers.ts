/** Request headers as hosts hand them over: Node's lower-case map, Zapier's `Http-X-…` names. */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Every value sent for `name`, matched case-insensitively, in order, flattened. */
export function headerValues(headers: HeaderMap, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  // On the hot path of every delivery: no entry arrays, and most names fail on length alone.
  for (const key in headers) {
    if (key.length !== wanted.length || !Object.hasOwn(headers, key) || key.toLowerCase() !== wanted) continue;
    const value = headers[key];
    // Hosts are trusted to pass strings, but hostile input must not be able to make this throw.
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) values.push(...value.filter((item): item is string => typeof item === 'string'));
  }
  return values;
}

/** The single value of `name`, or undefined when it is absent or sent more than once. */
export function singleHeader(headers: HeaderMap, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 1 ? values[0] : undefined;
}
