// @argmin/core/testing: the conformance suite for method plugins and reference problems.
export {};
