// The body of docs/results/soak.md, from what the reliability suite records
// (artifacts/reliability.json) and jest's own count of the fuzz properties that held.

/** What test/e2e/reliability.e2e.test.ts writes; a part is absent when its test did not finish. */
export interface ReliabilityFigures {
  readonly matrix?: { readonly cases: number; readonly accepted: number; readonly refused: number };
  readonly soak?: {
    readonly events: number;
    readonly concurrency: number;
    readonly eventsPerSecond: number;
    readonly executions: number;
    readonly lost: number;
    readonly retriesAbsorbedByDedupe: number;
  };
  readonly chaos?: {
    readonly cyclesPerVendor: number;
    readonly faults: readonly string[];
    readonly strandedAtEnd: number;
    readonly maxLiveSubscriptionsPerWorkflow: number;
    readonly failedActivationsReported: number;
  };
}

/** The fuzz properties as jest reports them, and the cases each ran. */
export interface FuzzOutcome {
  readonly casesPerProperty: number;
  readonly passed: number;
  readonly failed: number;
}

const NOT_RUN = 'did not finish: see the run\'s output';

export function soakTable(figures: ReliabilityFigures, fuzz: FuzzOutcome): string {
  const { matrix, soak, chaos } = figures;
  const rows: [string, string, string][] = [
    ['hostile-input matrix', 'malformed, forged, replayed and oversized requests to a real n8n', matrix ? `${matrix.cases} cases: ${matrix.refused} refused with no execution, ${matrix.accepted} accepted with one each` : NOT_RUN],
    ['soak', soak ? `${soak.events} signed Konvox events at concurrency ${soak.concurrency} through a flaky network, Konvox retrying` : 'signed Konvox events through a flaky network', soak ? `${soak.executions} executions, ${soak.lost} lost, ${soak.eventsPerSecond} events/s, ${soak.retriesAbsorbedByDedupe} retries absorbed by dedupe` : NOT_RUN],
    ['lifecycle chaos', chaos ? `${chaos.cyclesPerVendor} publish/unpublish cycles each for Converc and Convo, with faults: ${chaos.faults.join(', ')}` : 'publish/unpublish cycles under vendor faults', chaos ? `${chaos.strandedAtEnd} stranded, at most ${chaos.maxLiveSubscriptionsPerWorkflow} live subscription per workflow, ${chaos.failedActivationsReported} failed activations reported` : NOT_RUN],
    ['core fuzzing', `fast-check properties of \`verify\` and \`parseEvent\`, ${fuzz.casesPerProperty} cases each`, `${fuzz.passed} held, ${fuzz.failed} failed`],
  ];
  return ['| suite | what it does | result |', '| --- | --- | --- |', ...rows.map((cells) => `| ${cells.join(' | ')} |`)].join('\n');
}
