/** The shape reshape should produce (one −1 inferred); the values are unchanged in row-major order. */
export function reshapeShapeRef(size: number, shape: readonly number[]): number[] {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return shape.map((d) => (d === -1 ? size / known : d));
}
