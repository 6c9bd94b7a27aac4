/** ln σ(x) = −ln(1 + e^(−x)): the textbook formula, accurate in double for moderate |x|. */
export const logSigmoidRef = (x: number): number => -Math.log1p(Math.exp(-x));
