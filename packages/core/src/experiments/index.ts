// Core reproductions (e.g. L-BFGS vs gradient descent on Rosenbrock).
export const coreExperiments = [] as const;
