/** Deterministic test data (xorshift128+ and Box–Muller); tests never depend on Math.random. */
import { Tensor, tensor, type DType } from '../../lib/tensor';

export class Rng {
  private s0: bigint;
  private s1: bigint;
  constructor(seed: number) {
    this.s0 = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
    this.s1 = BigInt.asUintN(64, this.s0 ^ 0xda3e39cb94b95bdbn);
    for (let i = 0; i < 8; i++) this.next();
  }
  private next(): bigint {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x = BigInt.asUintN(64, x ^ (x << 23n));
    this.s1 = BigInt.asUintN(64, x ^ y ^ (x >> 17n) ^ (y >> 26n));
    return BigInt.asUintN(64, this.s1 + y);
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    return Number(this.next() >> 11n) / 2 ** 53;
  }
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
  normal(): number {
    const u = Math.max(this.uniform(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
  normals(n: number): number[] {
    return Array.from({ length: n }, () => this.normal());
  }
  randn(shape: number[], dtype: DType = 'float64', requiresGrad = false): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    return tensor(this.normals(n), shape, { dtype, requiresGrad });
  }
}
