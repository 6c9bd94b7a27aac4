import type { OpCase } from '../cases';
import { unaryCase } from '../elementwise_cases';

export const cases: OpCase[] = [
  // cuda-emu calls the same std::exp as the CPU (exact); CUDA's expf is within 2 ulp and exp
  // within 1 ulp, glibc's within 1.
  unaryCase('exp', { float32: 1e-6, float64: 1e-15 }, 'GPU exp differs from glibc by a few ulps'),
];
