import { VENDORS } from '../shared';
import { LOSS_CASES, type LossRow } from './loss-window';

const answersOf = (row: LossRow) =>
  Object.entries(row.answers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([answer, count]) => `${answer}: ${count}`)
    .join(', ');

/** The rows as the README's table: one line per setup, vendor and case. */
export function lossTable(rows: readonly LossRow[]): string {
  const lines = [
    '| setup | vendor | case | sent | executed (recovered) | lost | crashed before it ran | no subscription | duplicated | answers | window (s) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) =>
      `| ${row.mode} | ${VENDORS[row.vendor].name} | ${LOSS_CASES[row.case]} | ${row.sent} | ${row.executed} (${row.recovered}) | ${row.lost} | ${row.crashedUnrun} | ${row.noSubscription} | ${row.duplicated} | ${answersOf(row)} | ${(row.windowMs / 1000).toFixed(1)} |`),
  ];
  return lines.join('\n');
}
