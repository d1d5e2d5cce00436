import { erf } from './erf';

/** Elementwise activations with first and second derivatives (the second feeds exact HVPs). */
export type ActivationName =
  | 'relu'
  | 'leaky-relu'
  | 'tanh'
  | 'sigmoid'
  | 'gelu'
  | 'gelu-tanh'
  | 'softplus'
  | 'identity';

export const activationNames: readonly ActivationName[] = [
  'relu',
  'leaky-relu',
  'tanh',
  'sigmoid',
  'gelu',
  'gelu-tanh',
  'softplus',
  'identity',
];

export interface Activation {
  readonly name: ActivationName;
  /** f(x). */
  value(x: number): number;
  /** f'(x). */
  first(x: number): number;
  /** f''(x) (0 almost everywhere for piecewise-linear activations). */
  second(x: number): number;
}

const inverseSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
const sqrt2OverPi = Math.sqrt(2 / Math.PI);
const geluCubic = 0.044715;

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * Builds an activation. Conventions follow PyTorch: `leaky-relu` slope 0.01 (`negativeSlope`);
 * `gelu` is the exact x·Φ(x) (PyTorch's default `approximate='none'`); `gelu-tanh` is the tanh
 * approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))); `softplus` is log(1 + eˣ) with PyTorch's
 * threshold 20 (linear above it). relu'(0) = 0 as in PyTorch.
 */
export function activation(
  name: ActivationName,
  { negativeSlope = 0.01 }: { negativeSlope?: number } = {},
): Activation {
  switch (name) {
    case 'identity':
      return { name, value: (x) => x, first: () => 1, second: () => 0 };
    case 'relu':
      return { name, value: (x) => Math.max(x, 0), first: (x) => (x > 0 ? 1 : 0), second: () => 0 };
    case 'leaky-relu':
      return {
        name,
        value: (x) => (x > 0 ? x : negativeSlope * x),
        first: (x) => (x > 0 ? 1 : negativeSlope),
        second: () => 0,
      };
    case 'tanh':
      return {
        name,
        value: Math.tanh,
        first: (x) => 1 - Math.tanh(x) ** 2,
        second: (x) => {
          const t = Math.tanh(x);
          return -2 * t * (1 - t * t);
        },
      };
    case 'sigmoid':
      return {
        name,
        value: sigmoid,
        first: (x) => {
          const s = sigmoid(x);
          return s * (1 - s);
        },
        second: (x) => {
          const s = sigmoid(x);
          return s * (1 - s) * (1 - 2 * s);
        },
      };
    case 'gelu':
      return {
        name,
        value: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
        first: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + x * inverseSqrt2Pi * Math.exp(-0.5 * x * x),
        second: (x) => inverseSqrt2Pi * Math.exp(-0.5 * x * x) * (2 - x * x),
      };
    case 'gelu-tanh':
      return {
        name,
        value: (x) => 0.5 * x * (1 + Math.tanh(sqrt2OverPi * (x + geluCubic * x ** 3))),
        first: (x) => {
          const u = sqrt2OverPi * (x + geluCubic * x ** 3);
          const du = sqrt2OverPi * (1 + 3 * geluCubic * x * x);
          const t = Math.tanh(u);
          return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du;
        },
        second: (x) => {
          const u = sqrt2OverPi * (x + geluCubic * x ** 3);
          const du = sqrt2OverPi * (1 + 3 * geluCubic * x * x);
          const ddu = sqrt2OverPi * 6 * geluCubic * x;
          const t = Math.tanh(u);
          const sech2 = 1 - t * t;
          return sech2 * du + 0.5 * x * (-2 * t * sech2 * du * du + sech2 * ddu);
        },
      };
    case 'softplus':
      return {
        name,
        value: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
        first: (x) => (x > 20 ? 1 : sigmoid(x)),
        second: (x) => {
          if (x > 20) return 0;
          const s = sigmoid(x);
          return s * (1 - s);
        },
      };
  }
}
