import { InvalidArgumentError } from '@argmin/core';
import { Network, type NetworkSpec } from './network';

/** A saved network: its spec and its parameters as plain JSON. */
export interface SavedNetwork {
  readonly format: 'argmin-nn';
  readonly version: 1;
  readonly spec: NetworkSpec;
  readonly parameters: number[];
}

/** JSON-serializable form of a network and its parameters. */
export function saveNetwork(network: Network, params: Float64Array): SavedNetwork {
  if (params?.length !== network.parameterCount) {
    throw new InvalidArgumentError({
      argument: 'params',
      value: params?.length,
      message: `nn/saveNetwork: \`params\` has length ${params?.length}; the network has ${network.parameterCount} parameters.`,
    });
  }
  return { format: 'argmin-nn', version: 1, spec: network.toJSON(), parameters: Array.from(params) };
}

/** Rebuilds a network and its parameters from `saveNetwork` output (e.g. after JSON.parse). */
export function loadNetwork(saved: SavedNetwork): { network: Network; params: Float64Array } {
  if (saved?.format !== 'argmin-nn' || saved.version !== 1) {
    throw new InvalidArgumentError({
      argument: 'saved',
      value: saved?.format,
      message:
        'nn/loadNetwork: not a saved argmin network (expected format "argmin-nn", version 1). Pass the value of saveNetwork(...).',
    });
  }
  const network = new Network(saved.spec);
  if (!Array.isArray(saved.parameters))
    throw new InvalidArgumentError({
      argument: 'saved.parameters',
      value: typeof saved.parameters,
      message: 'nn/loadNetwork: `parameters` must be an array of numbers (the output of saveNetwork).',
    });
  if (saved.parameters.length !== network.parameterCount) {
    throw new InvalidArgumentError({
      argument: 'saved.parameters',
      value: saved.parameters.length,
      message: `nn/loadNetwork: ${saved.parameters.length} parameters saved, the spec needs ${network.parameterCount}.`,
    });
  }
  saved.parameters.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new InvalidArgumentError({
        argument: `saved.parameters[${i}]`,
        value,
        message: `nn/loadNetwork: parameter ${i} is ${JSON.stringify(value) ?? String(value)}, not a finite number; the saved network is corrupt (re-save it with saveNetwork).`,
      });
  });
  return { network, params: Float64Array.from(saved.parameters) };
}
