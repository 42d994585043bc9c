/** A target on a row's ratio, or on its value where it has no baseline. */
export type Target = { readonly atLeast: number } | { readonly atMost: number };

/** One printed row of `npm run bench`, as `artifacts/bench.json` lists it. */
export interface BenchResult {
  readonly measure: string;
  readonly value: number;
  readonly baseline: number | null;
  readonly ratio: number | null;
  readonly target: Target | null;
  readonly met: boolean | null;
}

function meets(target: Target, figure: number): boolean {
  return 'atLeast' in target ? figure >= target.atLeast : figure <= target.atMost;
}

/** `value` against a `baseline` measured in the same run; a target applies to the ratio. */
export function compared(measure: string, value: number, baseline: number, target?: Target): BenchResult {
  const ratio = value / baseline;
  return { measure, value, baseline, ratio, target: target ?? null, met: target === undefined ? null : meets(target, ratio) };
}

/** A figure with no baseline; a target applies to the value itself. */
export function measuredOnly(measure: string, value: number, target?: Target): BenchResult {
  return { measure, value, baseline: null, ratio: null, target: target ?? null, met: target === undefined ? null : meets(target, value) };
}

const figure = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2));
const targetText = (target: Target) => ('atLeast' in target ? `≥ ${target.atLeast}` : `≤ ${target.atMost}`);

/** The rows as the Markdown table of docs/results/bench.md. */
export function resultsTable(results: readonly BenchResult[]): string {
  const rows = results.map((row) => {
    const cells = [
      row.measure,
      figure(row.value),
      row.baseline === null ? '' : figure(row.baseline),
      row.ratio === null ? '' : figure(row.ratio),
      row.target === null ? '—' : targetText(row.target),
      row.met === null ? '' : row.met ? 'met' : 'MISSED',
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return ['| measure | value | baseline | ratio | target | |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
