/** JSON round trip of optimizer states: Float64Arrays become { float64: number[] } and back. */
export function stateToJson(state: unknown): unknown {
  if (state instanceof Float64Array) return { float64: Array.from(state) };
  if (Array.isArray(state)) return state.map(stateToJson);
  if (state && typeof state === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(state)) out[key] = stateToJson(value);
    return out;
  }
  return state;
}

export function stateFromJson<T>(json: unknown): T {
  const revive = (value: unknown): unknown => {
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'float64' in value &&
      Object.keys(value).length === 1
    ) {
      return Float64Array.from((value as { float64: number[] }).float64);
    }
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[key] = revive(inner);
      return out;
    }
    return value;
  };
  return revive(json) as T;
}
