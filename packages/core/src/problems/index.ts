// Reference problems as problem plugins (for pipelines): quadratic, Rosenbrock, least squares, logistic regression.
export const coreProblems = [] as const;
