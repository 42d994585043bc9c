import { VENDORS } from '../shared';
import { LOSS_CASES, type LossRow } from './loss-window';

const answersOf = (row: LossRow) =>
  Object.entries(row.answers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([answer, count]) => `${answer}: ${count}`)
    .join(', ');

/** The rows as a Markdown table: one line per setup, vendor and case. */
export function lossTable(rows: readonly LossRow[]): string {
  const lines = [
    '| setup | vendor | case | sent | executed (recovered) | lost | crashed before it ran | no subscription | duplicated | answers | window (s) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) =>
      `| ${row.mode} | ${VENDORS[row.vendor].name} | ${LOSS_CASES[row.case]} | ${row.sent} | ${row.executed} (${row.recovered}) | ${row.lost} | ${row.crashedUnrun} | ${row.noSubscription} | ${row.duplicated} | ${answersOf(row)} | ${(row.windowMs / 1000).toFixed(1)} |`),
  ];
  return lines.join('\n');
}

/** What the columns mean, once, beside the table: a reader of the page has no other place to learn it. */
const COLUMNS = [
  '*sent*: distinct events the vendor had; *executed*: distinct events among the executions, *recovered* those that ran only from catch-up; *lost* = sent − executed.',
  '*crashed before it ran*: lost events whose execution n8n marked crashed before any node ran; *no subscription*: events the vendor had while it held no live subscription; *duplicated*: executions beyond one per event.',
  '*answers*: every attempt\'s answer (`refused`: no connection; `timeout`: no answer within the vendor\'s timeout); *window*: from the first to the last event whose first attempt failed.',
];

/** The body of docs/results/loss-windows.md. */
export function lossPage(rows: readonly LossRow[], ratePerSecond: number): string {
  return [`${ratePerSecond} event(s) a second per vendor, every vendor's own delivery policy, unscaled.`, lossTable(rows), COLUMNS.join('\n')].join('\n\n');
}
