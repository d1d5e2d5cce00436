import { beforeEach, expect } from 'vitest';

// Every test must assert something: a test that cannot fail is a defect.
beforeEach(() => {
  expect.hasAssertions();
});
