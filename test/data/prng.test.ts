import { Prng } from '../../lib/data/prng';

describe('Prng', () => {
  test('same seed and stream repeat; streams and seeds differ', () => {
    const a = Array.from({ length: 5 }, ((p) => () => p.nextU32())(new Prng(7, 's')));
    const b = Array.from({ length: 5 }, ((p) => () => p.nextU32())(new Prng(7, 's')));
    const c = Array.from({ length: 5 }, ((p) => () => p.nextU32())(new Prng(7, 't')));
    const d = Array.from({ length: 5 }, ((p) => () => p.nextU32())(new Prng(2 ** 40 + 7, 's')));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
  });

  test('state round-trips through JSON', () => {
    const p = new Prng(3);
    p.uniform();
    const q = Prng.fromState(JSON.parse(JSON.stringify(p.state())));
    for (let k = 0; k < 10; k++) expect(q.nextU32()).toBe(p.nextU32());
  });

  test('int(n) covers [0, n) evenly; uniform in [0, 1); shuffle is a permutation', () => {
    const p = new Prng(11);
    const counts = new Array(7).fill(0);
    for (let k = 0; k < 70000; k++) counts[p.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    for (let k = 0; k < 1000; k++) {
      const u = p.uniform();
      expect(u >= 0 && u < 1).toBe(true);
    }
    const a = Int32Array.from({ length: 50 }, (_, i) => i);
    p.shuffle(a);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(() => p.int(0)).toThrow(/integer range/);
    expect(() => new Prng(0.5)).toThrow(/safe integer seed/);
  });
});
