// Exact OT (network simplex, POT's ot.emd) between two histograms on a line.
import { emd } from '@argmin/ot';

const a = Float64Array.of(0.5, 0.5, 0);
const b = Float64Array.of(0, 0.5, 0.5);
const cost = { rows: 3, cols: 3, data: Float64Array.of(0, 1, 4, 1, 0, 1, 4, 1, 0) }; // |i − j|²
export const result = emd(a, b, cost);
console.log(result.status, result.cost); // optimal cost 1: each half moves one step right
