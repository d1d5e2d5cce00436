import * as z from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';
import { InvalidOptionsError, type OptionIssue, suggestOption } from '../errors/argmin-error';

// Works with classic (`zod`) and mini (`zod/mini`) schemas alike: everything here goes through
// `zod/v4/core`, so a bundle that validates options does not pull in zod's classic API (about 70 KB
// minified) or its locales (only English messages, set per parse rather than globally).
let englishErrors: z.$ZodErrorMap | undefined;
const errorMap = (): z.$ZodErrorMap => {
  englishErrors ??= en().localeError;
  return englishErrors;
};

/** Keys of a zod object schema (empty for non-object schemas). */
export function optionKeys(schema: z.$ZodType): string[] {
  return schema instanceof z.$ZodObject ? Object.keys(schema._zod.def.shape) : [];
}

/**
 * Converts zod issues into our `OptionIssue`s, listing unknown keys by name with a "did you mean"
 * for near misses and for scipy/POT/optax spellings (`maxiter`, `tol`, `reg`, `lr`).
 */
export function toOptionIssues(
  error: { readonly issues: readonly z.$ZodIssue[] },
  validKeys: readonly string[] = [],
): OptionIssue[] {
  const issues: OptionIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const suggestion = path ? undefined : suggestOption(key, validKeys);
        issues.push({
          path: path ? `${path}.${key}` : key,
          message: suggestion ? `unknown option (did you mean \`${suggestion}\`?)` : 'unknown option',
        });
      }
    } else {
      issues.push({ path, message: issue.message });
    }
  }
  return issues;
}

/**
 * Parses `input` with a strict schema; on failure throws `InvalidOptionsError` naming each bad key
 * and listing the valid ones.
 */
export function parseOptions<Schema extends z.$ZodType>(
  id: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const parsed = z.safeParse(schema, input ?? {}, { error: errorMap() });
  if (parsed.success) return parsed.data;
  const validKeys = optionKeys(schema);
  throw new InvalidOptionsError({ id, issues: toOptionIssues(parsed.error, validKeys), validKeys });
}

/** One row of an options table: name, type, default, description (for docs and `argmin list`). */
export interface OptionDescription {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly description?: string;
}

/** Describes a strict object schema's options: names, types, defaults and descriptions. */
export function describeOptions(schema: z.$ZodType): OptionDescription[] {
  if (!(schema instanceof z.$ZodObject)) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<
      string,
      { type?: unknown; default?: unknown; description?: string; enum?: unknown[]; anyOf?: unknown[] }
    >;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeName(property),
    required: required.has(name) && property.default === undefined,
    default: property.default,
    description:
      property.description ??
      z.globalRegistry.get((schema._zod.def.shape as Record<string, z.$ZodType>)[name])?.description,
  }));
}

function typeName(property: {
  type?: unknown;
  enum?: unknown[];
  anyOf?: unknown[];
  items?: unknown;
}): string {
  if (property.enum) return property.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (property.anyOf) return property.anyOf.map((p) => typeName(p as never)).join(' | ');
  if (property.type === 'array') return `${typeName((property.items ?? {}) as never)}[]`;
  if (typeof property.type === 'string') return property.type;
  if (Array.isArray(property.type)) return property.type.join(' | ');
  return 'unknown';
}
