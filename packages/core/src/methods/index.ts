// Reference methods shipped in core (gradient descent with Armijo backtracking, L-BFGS with a Wolfe line search).
export const corePlugins = [] as const;
