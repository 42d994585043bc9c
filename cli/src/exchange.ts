/** One HTTP delivery and its answer, as `send --verbose` and `deliveries --verbose` show it. */
export interface Exchange {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** `200 OK`, `500`, or why there was no answer. */
  readonly answer: string;
  readonly durationMs: number;
  readonly responseBody: string | null;
}

const prefixed = (marker: string, text: string) => text.split('\n').map((line) => `${marker} ${line}`);

/** The exchange as `curl -v` shows one: `>` what was sent, `<` what came back. */
export function exchangeLines(exchange: Exchange): string[] {
  return [
    `> POST ${exchange.url}`,
    ...Object.entries(exchange.headers).map(([name, value]) => `> ${name}: ${value}`),
    '>',
    ...prefixed('>', exchange.body),
    `< ${exchange.answer} (${exchange.durationMs} ms)`,
    ...(exchange.responseBody ? prefixed('<', exchange.responseBody) : []),
  ];
}
