export const tanhRef = (x: number): number => Math.tanh(x);
