const marker = 'argmin.error';
const symbol = Symbol.for(marker);

/** True when `error` carries the `Symbol.for(markerName)` marker (works across duplicate installs). */
export function hasMarker(error: unknown, markerName: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[Symbol.for(markerName)] === true
  );
}

/**
 * Base class of every error argmin throws. Errors are for programmer mistakes only (bad sizes, NaN
 * input, unknown ids or options); numerical trouble is a `status` on the result, never a throw.
 *
 * Messages name the function, the offending value and the fix, e.g.
 * `ot/sinkhorn: marginals must have equal mass; got sum(a)=1 and sum(b)=0.98. Normalize them or use unbalanced OT.`
 */
export class ArgminError extends Error {
  protected readonly [symbol] = true;

  constructor({ name, message, cause }: { name?: string; message: string; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name ?? 'ArgminError';
  }

  /** `instanceof` that also works when two copies of `@argmin/core` are installed. */
  static isInstance(error: unknown): error is ArgminError {
    return hasMarker(error, marker);
  }
}

/** Defines an `ArgminError` subclass with its own marker `argmin.error.<Name>`. */
function subclassMarker(name: string): symbol {
  return Symbol.for(`argmin.error.${name}`);
}

const invalidArgumentSymbol = subclassMarker('InvalidArgumentError');
/** A public function got an argument it cannot use: wrong size, NaN, negative mass, ... */
export class InvalidArgumentError extends ArgminError {
  protected readonly [invalidArgumentSymbol] = true;
  /** The argument's name, e.g. `a` or `options.tolerance`. */
  readonly argument: string;
  /** The offending value (or a short description of it). */
  readonly value: unknown;
  constructor({
    argument,
    value,
    message,
    cause,
  }: { argument: string; value: unknown; message: string; cause?: unknown }) {
    super({ name: 'InvalidArgumentError', message, cause });
    this.argument = argument;
    this.value = value;
  }
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return hasMarker(error, 'argmin.error.InvalidArgumentError');
  }
}

const unknownMethodSymbol = subclassMarker('UnknownMethodError');
/** A method, problem or experiment id that is not registered. The message lists the registered ids. */
export class UnknownMethodError extends ArgminError {
  protected readonly [unknownMethodSymbol] = true;
  readonly id: string;
  readonly available: readonly string[];
  constructor({
    id,
    available,
    kind = 'method',
  }: { id: string; available: readonly string[]; kind?: string }) {
    const suggestion = closest(id, available);
    super({
      name: 'UnknownMethodError',
      message:
        `Unknown ${kind} id "${id}".` +
        (suggestion ? ` Did you mean "${suggestion}"?` : '') +
        ` Registered ids: ${available.length ? available.join(', ') : '(none)'}.`,
    });
    this.id = id;
    this.available = available;
  }
  static override isInstance(error: unknown): error is UnknownMethodError {
    return hasMarker(error, 'argmin.error.UnknownMethodError');
  }
}

/** One problem with an options object: the path of the key and what is wrong. */
export interface OptionIssue {
  readonly path: string;
  readonly message: string;
}

const invalidOptionsSymbol = subclassMarker('InvalidOptionsError');
/** Options that fail the method's strict schema: unknown keys (with the valid ones listed) or wrong types. */
export class InvalidOptionsError extends ArgminError {
  protected readonly [invalidOptionsSymbol] = true;
  readonly id: string;
  readonly issues: readonly OptionIssue[];
  readonly validKeys: readonly string[];
  constructor({
    id,
    issues,
    validKeys,
  }: { id: string; issues: readonly OptionIssue[]; validKeys: readonly string[] }) {
    super({
      name: 'InvalidOptionsError',
      message:
        `${id}: invalid options: ${issues.map((issue) => `${issue.path ? `\`${issue.path}\`: ` : ''}${issue.message}`).join('; ')}.` +
        ` Valid options: ${validKeys.length ? validKeys.join(', ') : '(none)'}.`,
    });
    this.id = id;
    this.issues = issues;
    this.validKeys = validKeys;
  }
  static override isInstance(error: unknown): error is InvalidOptionsError {
    return hasMarker(error, 'argmin.error.InvalidOptionsError');
  }
}

const duplicateIdSymbol = subclassMarker('DuplicateIdError');
/** Two plugins with the same id given to `createRegistry`: it never overwrites. */
export class DuplicateIdError extends ArgminError {
  protected readonly [duplicateIdSymbol] = true;
  readonly id: string;
  constructor({ id }: { id: string }) {
    super({
      name: 'DuplicateIdError',
      message: `createRegistry: id "${id}" is registered twice. Pass each plugin once (check for two copies of the same area package).`,
    });
    this.id = id;
  }
  static override isInstance(error: unknown): error is DuplicateIdError {
    return hasMarker(error, 'argmin.error.DuplicateIdError');
  }
}

const missingCapabilitySymbol = subclassMarker('MissingCapabilityError');
/** A method needs an oracle capability (e.g. `hvp`) that the problem does not provide. */
export class MissingCapabilityError extends ArgminError {
  protected readonly [missingCapabilitySymbol] = true;
  readonly id: string;
  readonly missing: readonly string[];
  constructor({ id, missing }: { id: string; missing: readonly string[] }) {
    super({
      name: 'MissingCapabilityError',
      message: `${id}: the problem lacks the oracle capabilities ${missing.map((m) => `\`${m}\``).join(', ')}. Provide them on the oracle or pick a method that does not need them.`,
    });
    this.id = id;
    this.missing = missing;
  }
  static override isInstance(error: unknown): error is MissingCapabilityError {
    return hasMarker(error, 'argmin.error.MissingCapabilityError');
  }
}

const pipelineSymbol = subclassMarker('PipelineError');
/** A pipeline file that fails validation (nothing has run when this is thrown). */
export class PipelineError extends ArgminError {
  protected readonly [pipelineSymbol] = true;
  readonly issues: readonly OptionIssue[];
  constructor({ issues, cause }: { issues: readonly OptionIssue[]; cause?: unknown }) {
    super({
      name: 'PipelineError',
      message: `Invalid pipeline: ${issues.map((issue) => `${issue.path ? `${issue.path}: ` : ''}${issue.message}`).join('; ')}`,
      cause,
    });
    this.issues = issues;
  }
  static override isInstance(error: unknown): error is PipelineError {
    return hasMarker(error, 'argmin.error.PipelineError');
  }
}

const specVersionSymbol = subclassMarker('UnsupportedSpecVersionError');
/** A plugin built against a contract version this core does not know. */
export class UnsupportedSpecVersionError extends ArgminError {
  protected readonly [specVersionSymbol] = true;
  constructor({ id, version, supported }: { id: string; version: unknown; supported: readonly number[] }) {
    super({
      name: 'UnsupportedSpecVersionError',
      message: `${id}: plugin spec version ${String(version)} is not supported by this @argmin/core (supported: ${supported.join(', ')}). Upgrade @argmin/core or the plugin's package.`,
    });
  }
  static override isInstance(error: unknown): error is UnsupportedSpecVersionError {
    return hasMarker(error, 'argmin.error.UnsupportedSpecVersionError');
  }
}

const resourceLimitSymbol = subclassMarker('ResourceLimitError');
/**
 * A request to allocate more than the resource budget (see `setResourceLimits`), refused before
 * anything is allocated. States the bytes requested and how to raise the limit.
 */
export class ResourceLimitError extends ArgminError {
  protected readonly [resourceLimitSymbol] = true;
  /** Bytes the call would have allocated. */
  readonly requestedBytes: number;
  /** The budget in force. */
  readonly limitBytes: number;
  constructor({
    where,
    what,
    requestedBytes,
    limitBytes,
  }: { where: string; what: string; requestedBytes: number; limitBytes: number }) {
    super({
      name: 'ResourceLimitError',
      message:
        `${where}: ${what} needs ${formatBytes(requestedBytes)}, over the budget of ${formatBytes(limitBytes)}. ` +
        `Use smaller sizes, or raise the budget with setResourceLimits({ maxBytes: ${Math.ceil(requestedBytes)} }) from @argmin/core.`,
    });
    this.requestedBytes = requestedBytes;
    this.limitBytes = limitBytes;
  }
  static override isInstance(error: unknown): error is ResourceLimitError {
    return hasMarker(error, 'argmin.error.ResourceLimitError');
  }
}

function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.round(bytes)} bytes`;
}

/**
 * Spellings other libraries use for our option names (scipy, POT, optax, sklearn, diffusers), so an
 * unknown key gets "did you mean" even when the edit distance is large.
 */
const optionAliases: Readonly<Record<string, readonly string[]>> = {
  maxiter: ['maxIterations'],
  max_iter: ['maxIterations'],
  numitermax: ['maxIterations'],
  maxit: ['maxIterations'],
  iterations: ['maxIterations'],
  tol: ['tolerance', 'rtol'],
  stopthr: ['tolerance'],
  rtol: ['tolerance'],
  atol: ['absoluteTolerance', 'atol'],
  reg: ['regularization'],
  epsilon: ['regularization', 'eps'],
  lambda: ['regularization'],
  lr: ['learningRate'],
  learning_rate: ['learningRate'],
  step_size: ['stepSize', 'learningRate'],
  stepsize: ['stepSize', 'learningRate'],
  batch_size: ['batchSize'],
  x0: ['x0', 'initialGuess'],
  m: ['memory', 'restart'],
  restrt: ['restart'],
  num_inference_steps: ['steps'],
  guidance_scale: ['guidanceScale'],
  weight_decay: ['weightDecay'],
  b1: ['beta1'],
  b2: ['beta2'],
  eps: ['epsilon'],
  seed: ['seed'],
  verbose: [],
  log: [],
};

/**
 * The valid option nearest to an unknown `key`: a known alias from scipy/POT/optax/diffusers, a
 * case or separator variant (`max_iterations` → `maxIterations`), or a near miss by edit distance.
 */
export function suggestOption(key: string, validKeys: readonly string[]): string | undefined {
  if (validKeys.length === 0) return undefined;
  const lower = key.toLowerCase();
  // Own keys only: `constructor`, `__proto__` or `toString` must not reach Object.prototype.
  const aliases = Object.hasOwn(optionAliases, lower)
    ? optionAliases[lower]
    : Object.hasOwn(optionAliases, key)
      ? optionAliases[key]
      : undefined;
  if (aliases) for (const alias of aliases) if (validKeys.includes(alias)) return alias;
  const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const variant = validKeys.find((k) => squash(k) === squash(key));
  if (variant) return variant;
  return closest(key, validKeys);
}

/** The registered id nearest to `id` by edit distance, if it is close enough to be a typo. */
function closest(id: string, available: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of available) {
    const d = editDistance(id, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(id.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = new Array<number>(b.length + 1);
  const current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    for (let j = 0; j <= b.length; j++) previous[j] = current[j];
  }
  return previous[b.length];
}
