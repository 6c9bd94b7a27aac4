/** σ(x) = 1 / (1 + e^(−x)), written the obvious way (fine in double for the test range). */
export const sigmoidRef = (x: number): number => 1 / (1 + Math.exp(-x));
