export const absRef = (x: number): number => Math.abs(x);
