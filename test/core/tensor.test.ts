import { tensor, zeros, empty, full, MmgError, loadAddon } from '../../lib';
import { tidy, keep } from '../../lib/autograd/scope';
import { EMU } from '../../lib/testing';

describe('tensor', () => {
  test('toTypedArray(into) copies into a given subarray, and checks its type and length', () => {
    tidy(() => {
      const big = new Int32Array(6).fill(-1);
      const t = tensor(Int32Array.from([4, 5, 6]), [3], { dtype: 'int32' });
      const into = big.subarray(2, 5);
      expect(t.toTypedArray(into)).toBe(into);
      expect(Array.from(big)).toEqual([-1, -1, 4, 5, 6, -1]);
      expect(() => t.toTypedArray(new Int32Array(2))).toThrow(/^tensor.toTypedArray: expected a Int32Array of 3 elements, got a Int32Array of 2/);
      expect(() => t.toTypedArray(new Float32Array(3))).toThrow(/^tensor.toTypedArray: expected a Int32Array of 3 elements, got a Float32Array of 3/);
    });
  });

  test('round-trips values for every dtype', () => {
    tidy(() => {
      expect(tensor([1.5, -2, 3], [3]).toArray()).toEqual([1.5, -2, 3]);
      expect(tensor([1.25, 2], [2], { dtype: 'float64' }).toTypedArray()).toBeInstanceOf(Float64Array);
      expect(tensor([7, -8], [2], { dtype: 'int32' }).toArray()).toEqual([7, -8]);
      expect(tensor([2 ** 40, -3], [2], { dtype: 'int64' }).toArray()).toEqual([2 ** 40, -3]);
      expect(zeros([2, 3]).toArray()).toEqual([0, 0, 0, 0, 0, 0]);
      expect(full([2], 4, { dtype: 'float64' }).toArray()).toEqual([4, 4]);
      expect(empty([0, 5]).size).toBe(0);
    });
  });

  test('data() is a zero-copy view of native memory', () => {
    const t = tensor([1, 2, 3, 4], [2, 2]);
    const v = t.data<'float32'>();
    v[3] = 42;
    expect(t.toArray()).toEqual([1, 2, 3, 42]);
    expect(t.rows).toBe(2);
    expect(t.cols).toBe(2);
    t.dispose();
    expect(v.length).toBe(0); // detached: never a view of freed memory
    expect(t.disposed).toBe(true);
    expect(() => t.toArray()).toThrow(/disposed/);
    t.dispose(); // idempotent
  });

  test('a wrong number of values or an unknown device gives a clear error', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/tensor: expected 4 values for shape \[2, 2\], got 3/);
    expect(() => tensor([1], [1], { device: 'cuda' })).toThrow(MmgError);
    expect(() => tensor([1], [1], { device: 'cuda' })).toThrow(/CUDA backend is not available/);
    expect(() => tensor([1], [2, 3, 4, 5, 6])).toThrow(/at most 4 dimensions/);
  });

  test('item() needs exactly one element', () => {
    expect(tensor([5], []).item()).toBe(5);
    expect(() => tensor([1, 2]).item()).toThrow(/one element/);
  });

  test('tidy frees intermediates and keeps the result and kept tensors', () => {
    const before = loadAddon().memoryStats().hostInUse;
    let inner: ReturnType<typeof tensor> | undefined;
    let kept: ReturnType<typeof tensor> | undefined;
    const out = tidy(() => {
      inner = tensor(new Float32Array(1000), [1000]);
      kept = keep(tensor([1], [1]));
      return tensor([2], [1]);
    });
    expect(inner!.disposed).toBe(true);
    expect(kept!.disposed).toBe(false);
    expect(out.disposed).toBe(false);
    out.dispose();
    kept!.dispose();
    expect(loadAddon().memoryStats().hostInUse).toBe(before);
  });

  test('tidy disposes everything when fn throws', () => {
    let t: ReturnType<typeof tensor> | undefined;
    expect(() =>
      tidy(() => {
        t = tensor([1], [1]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(t!.disposed).toBe(true);
  });

  test('copies to the emulated CUDA device and back', () => {
    tidy(() => {
      const t = tensor([1, 2, 3], [3]);
      const e = t.to(EMU);
      expect(e.device).toBe('cuda-emu');
      expect(e.to('cpu').toArray()).toEqual([1, 2, 3]);
    });
  });
});
