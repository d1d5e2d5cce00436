/**
 * Asserts |actual_i − expected_i| <= absolute + relative·|expected_i| for every i, throwing an Error
 * that names the first failing index, both values and the tolerance (so a failure is readable without
 * a debugger). Works with any test runner.
 */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  {
    relative = 1e-12,
    absolute = 0,
    label = 'values',
  }: { relative?: number; absolute?: number; label?: string } = {},
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length} differs from the expected length ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    const allowed = absolute + relative * Math.abs(e);
    if (!(Math.abs(a - e) <= allowed) && a !== e) {
      throw new Error(
        `${label}: index ${i}: got ${a}, expected ${e} (|difference| ${Math.abs(a - e).toExponential(3)} > ${allowed.toExponential(3)} = ${absolute} + ${relative}·|expected|)`,
      );
    }
  }
}
