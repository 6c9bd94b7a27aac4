export const expRef = (x: number): number => Math.exp(x);
