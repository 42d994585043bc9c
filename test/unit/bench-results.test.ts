import { compared, measuredOnly, resultsTable } from '../../bench/results';

describe('bench results', () => {
  it('gives a compared row its ratio, and holds the target against the ratio', () => {
    expect(compared('ours vs built-in', 90, 100, { atLeast: 0.95 })).toEqual({ measure: 'ours vs built-in', value: 90, baseline: 100, ratio: 0.9, target: { atLeast: 0.95 }, met: false });
    expect(compared('forged vs floor', 120, 100, { atLeast: 0.9 })).toMatchObject({ ratio: 1.2, met: true });
  });

  it('leaves target and met null on a row without a target', () => {
    expect(compared('forged vs accepted', 300, 100)).toEqual({ measure: 'forged vs accepted', value: 300, baseline: 100, ratio: 3, target: null, met: null });
    expect(measuredOnly('tarball (KB)', 40)).toEqual({ measure: 'tarball (KB)', value: 40, baseline: null, ratio: null, target: null, met: null });
  });

  it('holds a row without a baseline to its value', () => {
    expect(measuredOnly('tarball (KB)', 151, { atMost: 150 }).met).toBe(false);
    expect(measuredOnly('runtime dependencies', 0, { atMost: 0 }).met).toBe(true);
  });

  it('prints one table row per result, in order, with its verdict', () => {
    const table = resultsTable([compared('a', 1234.4, 2000, { atLeast: 0.75 }), measuredOnly('b', 40.494, { atMost: 150 }), compared('c', 3, 1)]);
    expect(table.split('\n').slice(2)).toEqual([
      '| a | 1,234 | 2,000 | 0.62 | ≥ 0.75 | MISSED |',
      '| b | 40.49 |  |  | ≤ 150 | met |',
      '| c | 3.00 | 1.00 | 3.00 | — |  |',
    ]);
  });
});
