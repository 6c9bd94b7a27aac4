/** matmul: C = op(A)·op(B). Contract: native/ops/matmul.cc. */
import { record } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runOp1 } from './run';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const ta = !!opts.transA;
  const tb = !!opts.transB;
  const out = runOp1('matmul', [a, b], [ta ? 1 : 0, tb ? 1 : 0]);
  return record(out, 'matmul', [a, b], (g, needs) => [
    // C = A·B: dA = g·Bᵀ; C = Aᵀ·B: dA = B·gᵀ; C = A·Bᵀ: dA = g·B; C = Aᵀ·Bᵀ: dA = Bᵀ·gᵀ.
    needs[0] ? (ta ? matmul(b, g, { transA: tb, transB: true }) : matmul(g, b, { transB: !tb })) : null,
    // C = A·B: dB = Aᵀ·g; C = A·Bᵀ: dB = gᵀ·A; with Aᵀ the roles of A flip.
    needs[1] ? (tb ? matmul(g, a, { transA: true, transB: ta }) : matmul(a, g, { transA: !ta })) : null,
  ]);
}
