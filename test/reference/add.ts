/** Slow reference for add: C = A + alpha·B, B of A's shape or a row vector broadcast over rows. */
export function addRef(a: number[], aShape: number[], b: number[], alpha = 1): number[] {
  const cols = aShape.length ? aShape[aShape.length - 1] : 1;
  return a.map((v, i) => v + alpha * (b.length === a.length ? b[i] : b[i % cols]));
}
