import { expect } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';

/**
 * Test helper (not exported from the package): `run` must throw an error of `type` (checked with
 * its `isInstance`, which survives duplicated module copies) whose message equals `message`, or
 * matches it when it is a RegExp.
 */
export function expectArgminError(
  run: () => unknown,
  message: string | RegExp,
  type: { readonly name: string; isInstance(error: unknown): boolean } = InvalidArgumentError,
): void {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error, 'expected a throw').toBeDefined();
  expect(type.isInstance(error), `expected ${type.name}, got ${String(error)}`).toBe(true);
  const text = (error as Error).message;
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
}
