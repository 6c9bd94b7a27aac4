export const scaleRef = (x: number, alpha: number, beta = 0): number => x * alpha + beta;
