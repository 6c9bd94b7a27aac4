export const leakyReluRef = (x: number, slope = 0.01): number => (x > 0 ? x : slope * x);
