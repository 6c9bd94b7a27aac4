/** A ⊙ B where B has A's shape or is a row vector [cols] repeated over A's rows. */
export function mulRef(a: ArrayLike<number>, b: ArrayLike<number>, cols: number, broadcast: boolean): number[] {
  return Array.from(a, (v, i) => v * b[broadcast ? i % cols : i]);
}
