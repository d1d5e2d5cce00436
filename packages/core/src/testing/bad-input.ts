import fc from 'fast-check';
import { z } from 'zod';
import { ArgminError } from '../errors/argmin-error';
import { now } from '../solve/clock';

/**
 * Property-based bad-input helpers (issue 13): arbitraries of invalid options derived from a
 * method's zod schema through `z.toJSONSchema` (zod-fast-check supports neither zod 4 nor
 * fast-check 4), NaN / ±Infinity / length mutations of array arguments, oracles that turn
 * non-finite after a random number of calls, and `checkRobust`, which states the property every
 * public boundary must hold:
 *
 * 1. it throws a named error (`ArgminError.isInstance`), or
 * 2. it returns, within a time limit, a value whose arrays (and `state`) are finite; a result with a
 *    `status` may only hold non-finite metrics under a failure status;
 * 3. and it never mutates its inputs.
 *
 * Test-only: needs `fast-check` (an optional peer dependency of @argmin/core).
 */

/** A generated option object the schema must reject, with the reason in plain words. */
export interface InvalidOption {
  readonly options: Record<string, unknown>;
  readonly why: string;
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  properties?: Record<string, JsonSchema>;
};

const typeSamples: Record<string, unknown[]> = {
  number: [1.5, -3],
  integer: [7],
  string: ['bogus'],
  boolean: [true],
  null: [null],
  array: [[1, 2]],
  object: [{ bogus: 1 }],
};

/** The JSON types a property schema accepts, or undefined when it accepts anything. */
function acceptedTypes(schema: JsonSchema): Set<string> | undefined {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const all = new Set<string>();
    for (const branch of branches) {
      const types = acceptedTypes(branch);
      if (!types) return undefined;
      for (const t of types) all.add(t);
    }
    return all;
  }
  if (schema.enum || schema.const !== undefined) {
    const values = schema.enum ?? [schema.const];
    return new Set(values.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)));
  }
  if (schema.type === undefined) return undefined;
  return new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
}

const safe = Number.MAX_SAFE_INTEGER;

/** Values that violate one property's schema (empty when nothing can be derived safely). */
export function invalidValuesFor(schema: JsonSchema): { value: unknown; why: string }[] {
  const types = acceptedTypes(schema);
  if (!types) return [];
  const out: { value: unknown; why: string }[] = [];
  for (const [type, samples] of Object.entries(typeSamples)) {
    if (types.has(type) || (type === 'integer' && types.has('number'))) continue;
    if (type === 'number' && types.has('integer')) {
      out.push({ value: 2.5, why: 'a fractional value for an integer' });
      continue;
    }
    for (const value of samples)
      out.push({ value, why: `a ${type} where ${[...types].join(' | ')} is expected` });
  }
  if (types.has('number') || types.has('integer')) out.push({ value: Number.NaN, why: 'NaN' });
  const numeric = (schema.anyOf ?? schema.oneOf ?? [schema]).filter(
    (b) => b.type === 'number' || b.type === 'integer',
  );
  if (numeric.length === 1 && !(schema.anyOf ?? schema.oneOf)?.some((b) => acceptedTypes(b) === undefined)) {
    const n = numeric[0];
    if (n.minimum !== undefined && n.minimum > -safe)
      out.push({ value: n.minimum - 1, why: `below the minimum ${n.minimum}` });
    if (n.exclusiveMinimum !== undefined)
      out.push({ value: n.exclusiveMinimum, why: `at the exclusive minimum ${n.exclusiveMinimum}` });
    if (n.maximum !== undefined && n.maximum < safe)
      out.push({ value: n.maximum + 1, why: `above the maximum ${n.maximum}` });
    if (n.exclusiveMaximum !== undefined)
      out.push({ value: n.exclusiveMaximum, why: `at the exclusive maximum ${n.exclusiveMaximum}` });
    out.push({ value: Number.POSITIVE_INFINITY, why: 'Infinity' });
    if (n.type === 'integer') {
      const base = n.minimum !== undefined && n.minimum > -safe ? n.minimum : (n.exclusiveMinimum ?? 0);
      out.push({ value: base + 0.5, why: 'a fractional value for an integer' });
    }
  }
  if (schema.enum && types.has('string'))
    out.push({ value: '__not-an-option__', why: `not one of ${schema.enum.join(', ')}` });
  return out;
}

/** Spellings from scipy, POT, optax and diffusers that users type, plus a random key. */
const foreignKeys = [
  'maxiter',
  'tol',
  'reg',
  'lr',
  'max_iter',
  'numItermax',
  'verbose',
  'learning_rate',
  'callback',
];

/**
 * Arbitrary of option objects that `schema` (a strict zod object) must reject: one key set to a
 * value of a wrong type, NaN, ±Infinity, out of range or not in its enum, or an unknown key
 * (scipy/POT/optax spellings and random names). `valid` is a baseline the schema accepts (default
 * `{}`); the generated objects are `valid` with one change.
 */
export function invalidOptionsArbitrary(
  schema: z.core.$ZodType,
  valid: Record<string, unknown> = {},
): fc.Arbitrary<InvalidOption> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = json.properties ?? {};
  const keys = Object.keys(properties);
  const perKey: InvalidOption[] = [];
  for (const key of keys) {
    for (const { value, why } of invalidValuesFor(properties[key])) {
      perKey.push({ options: { ...valid, [key]: value }, why: `\`${key}\`: ${why}` });
    }
  }
  const unknown = fc
    .oneof(fc.constantFrom(...foreignKeys), fc.stringMatching(/^[a-z][A-Za-z]{2,12}$/))
    .filter((key) => !keys.includes(key) && !['__proto__', 'constructor', 'prototype'].includes(key))
    .chain((key) =>
      fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean()).map((value) => ({
        options: { ...valid, [key]: value },
        why: `unknown key \`${key}\``,
      })),
    );
  return perKey.length ? fc.oneof(fc.constantFrom(...perKey), unknown) : unknown;
}

/** A copy of `x` with one entry NaN / ±Infinity, or with a wrong length (shorter, longer, empty). */
export interface ArrayMutation<T> {
  readonly value: T;
  readonly why: string;
}

/**
 * Arbitrary of NaN / +Infinity / −Infinity / length mutations of a Float64Array (or a plain number
 * array): the kinds of broken array a user passes. `x` itself is never changed.
 */
export function arrayMutationArbitrary<T extends Float64Array | number[]>(
  x: T,
  { lengths = true }: { lengths?: boolean } = {},
): fc.Arbitrary<ArrayMutation<T>> {
  const copy = (values: ArrayLike<number>): T =>
    (x instanceof Float64Array ? Float64Array.from(values) : Array.from(values)) as T;
  const entries: fc.Arbitrary<ArrayMutation<T>>[] = [];
  if (x.length > 0) {
    entries.push(
      fc
        .tuple(
          fc.nat(x.length - 1),
          fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        )
        .map(([i, bad]) => {
          const value = copy(x);
          value[i] = bad;
          return { value, why: `entry ${i} set to ${bad}` };
        }),
    );
  }
  if (lengths) {
    entries.push(
      fc.constantFrom(
        ...[
          ...(x.length > 0
            ? [
                {
                  value: copy(Array.from(x).slice(0, -1)),
                  why: `length ${x.length - 1} instead of ${x.length}`,
                },
              ]
            : []),
          { value: copy([...Array.from(x), 1]), why: `length ${x.length + 1} instead of ${x.length}` },
          ...(x.length > 1 ? [{ value: copy([]), why: 'empty' }] : []),
        ],
      ),
    );
  }
  return fc.oneof(...entries);
}

/** Arguments of the wrong kind entirely, for functions that take a number, array or object. */
export const wrongKindArbitrary: fc.Arbitrary<unknown> = fc.constantFrom(
  undefined,
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  0,
  2.5,
  1e12,
  'bogus',
  true,
  {},
  [],
  [Number.NaN],
  new Float64Array(0),
  Float64Array.of(Number.NaN),
);

/**
 * Wraps an oracle so that, after `afterCalls` calls in total, every value it returns is `bad` and
 * every vector it writes is filled with `bad` (an objective that overflows or hits a pole mid-run).
 * Everything else (dimension, components, extra methods) is inherited from `oracle`.
 */
export function turnsNonFinite<O extends object>(oracle: O, afterCalls: number, bad = Number.NaN): O {
  let calls = 0;
  const wrapped = Object.create(oracle) as Record<string, unknown>;
  const source = oracle as Record<string, unknown>;
  const vectorOut: Record<string, number> = {
    grad: 1,
    sampleGrad: 2,
    componentGrad: 2,
    valueAndGrad: 1,
    hvp: 2,
    batchGrad: 2,
    batchHvp: 3,
  };
  for (const name of ['value', 'batchValue', ...Object.keys(vectorOut)]) {
    const method = source[name];
    if (typeof method !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      const result = (method as (...a: unknown[]) => unknown).apply(oracle, args);
      if (++calls <= afterCalls) return result;
      const outIndex = vectorOut[name];
      if (outIndex !== undefined && args[outIndex] instanceof Float64Array)
        (args[outIndex] as Float64Array).fill(bad);
      if (typeof result === 'number') return bad;
      return result;
    };
  }
  return wrapped as O;
}

/** Arbitrary of oracles derived from `make()` that turn NaN / ±Infinity after 0..`maxCalls` calls. */
export function nonFiniteOracleArbitrary<O extends object>(
  make: () => O,
  maxCalls = 40,
): fc.Arbitrary<{ oracle: O; why: string }> {
  return fc
    .tuple(fc.nat(maxCalls), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY))
    .map(([afterCalls, bad]) => ({
      oracle: turnsNonFinite(make(), afterCalls, bad),
      why: `oracle turns ${bad} after ${afterCalls} calls`,
    }));
}

/** Statuses under which a result may hold non-finite metrics (never non-finite arrays). */
export const failureStatuses: readonly string[] = ['numerical-error', 'diverged', 'stalled'];

/** A comparable deep copy of a value (typed arrays as number arrays, NaN kept) for mutation checks. */
export function snapshotValue(value: unknown, seen = new Map<unknown, unknown>()): unknown {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value;
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? '[function]' : value;
  if (seen.has(value)) return '[cycle]';
  seen.set(value, true);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isNaN(v) ? 'NaN' : v));
  }
  if (Array.isArray(value)) return value.map((v) => snapshotValue(v, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `[${proto?.constructor?.name ?? 'object'}]`;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    out[key] = snapshotValue((value as Record<string, unknown>)[key], seen);
  return out;
}

/**
 * The first non-finite number inside `value` (typed arrays, arrays, plain objects), as a path.
 * Under a `state` key only NaN counts: ±Infinity is allowed in state by design (λ = ∞ at σ = 0).
 * With `arraysOnly`, scalar numbers outside `state` are not checked (a failure status may report a
 * non-finite diagnostic such as the residual norm measured with a broken operator).
 */
export function findNonFinite(
  value: unknown,
  path = 'result',
  skip: readonly string[] = [],
  depth = 0,
  nanOnly = false,
  arraysOnly = false,
): string | undefined {
  const bad = (v: number) => (nanOnly ? Number.isNaN(v) : !Number.isFinite(v));
  if (typeof value === 'number')
    return bad(value) && !(arraysOnly && !nanOnly) ? `${path} = ${value}` : undefined;
  if (typeof value !== 'object' || value === null || depth > 24) return undefined;
  if (ArrayBuffer.isView(value) && (value instanceof Float64Array || value instanceof Float32Array)) {
    for (let i = 0; i < value.length; i++) if (bad(value[i])) return `${path}[${i}] = ${value[i]}`;
    return undefined;
  }
  if (ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonFinite(value[i], `${path}[${i}]`, skip, depth + 1, nanOnly, arraysOnly);
      if (found) return found;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  for (const key of Object.keys(value)) {
    if (skip.includes(key)) continue;
    const found = findNonFinite(
      (value as Record<string, unknown>)[key],
      `${path}.${key}`,
      skip,
      depth + 1,
      nanOnly || key === 'state',
      arraysOnly,
    );
    if (found) return found;
  }
  return undefined;
}

export interface RobustOptions {
  /** Inputs that must not change (snapshotted before the call). */
  readonly inputs?: readonly unknown[];
  /** Per-case time limit in ms (default 2000). */
  readonly timeLimitMs?: number;
  /**
   * Result keys not checked for finiteness (default: trace, info, warnings, message, elapsedMs and
   * metrics, which may hold NaN or Infinity by design; `info` is checked for NaN separately).
   */
  readonly skipKeys?: readonly string[];
}

/** What a checked call did. */
export type RobustOutcome =
  | { readonly kind: 'named-error'; readonly error: ArgminError }
  | { readonly kind: 'result'; readonly value: unknown; readonly status?: string };

const defaultSkip = ['trace', 'info', 'warnings', 'message', 'elapsedMs', 'metrics', 'meta'];

/**
 * Runs `call` and checks the robustness property (see the module comment). Throws an Error that
 * describes the violation (a raw TypeError, a NaN result under a normal status, a mutated input, a
 * run over the time limit); returns the outcome otherwise, so a test can also count outcomes.
 */
export function checkRobust(call: () => unknown, options: RobustOptions = {}): RobustOutcome {
  const { inputs = [], timeLimitMs = 2000, skipKeys = defaultSkip } = options;
  const before = inputs.map((input) => snapshotValue(input));
  const started = now();
  let outcome: RobustOutcome;
  try {
    outcome = { kind: 'result', value: call() };
  } catch (error) {
    if (!ArgminError.isInstance(error)) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`not a named error: ${text}`);
    }
    outcome = { kind: 'named-error', error };
  }
  const elapsed = now() - started;
  if (elapsed > timeLimitMs)
    throw new Error(`took ${elapsed.toFixed(0)} ms, over the ${timeLimitMs} ms limit`);
  inputs.forEach((input, i) => {
    const after = snapshotValue(input);
    if (JSON.stringify(after) !== JSON.stringify(before[i])) throw new Error(`input ${i} was mutated`);
  });
  if (outcome.kind === 'result') {
    const value = outcome.value;
    const status =
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { status?: unknown }).status === 'string'
        ? (value as { status: string }).status
        : undefined;
    // Under a failure status only the returned arrays and the state must be finite.
    const failed = status !== undefined && failureStatuses.includes(status);
    const bad = findNonFinite(value, 'result', skipKeys, 0, false, failed);
    if (bad) throw new Error(`non-finite output ${bad} (status ${status ?? 'none'})`);
    if (status !== undefined && !failureStatuses.includes(status)) {
      const info = (value as { info?: Record<string, unknown> }).info;
      if (info && typeof info === 'object') {
        for (const [key, metric] of Object.entries(info)) {
          if (typeof metric === 'number' && Number.isNaN(metric))
            throw new Error(`info.${key} is NaN under status ${status}`);
        }
      }
    }
    return { kind: 'result', value, status };
  }
  return outcome;
}

/**
 * An AbortSignal-like object that turns aborted after `ms` milliseconds: pass it as `signal` so a
 * run under test cannot hang (the run then ends 'aborted', which a property can treat as a hang).
 */
export function deadlineSignal(ms: number): { readonly aborted: boolean } {
  const deadline = now() + ms;
  return {
    get aborted() {
      return now() > deadline;
    },
  };
}

/** fast-check parameters of the bad-input suites: a fixed seed and a small number of runs. */
export function robustnessParameters(
  seed: number,
  numRuns = 60,
): { readonly seed: number; readonly numRuns: number; readonly endOnFailure: true } {
  return { seed, numRuns, endOnFailure: true };
}
