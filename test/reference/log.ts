export const logRef = (x: number): number => Math.log(x);
