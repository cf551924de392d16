import { describe, it } from 'vitest';
import { checkGradientCase, gradientCases } from '../testing/conformance/gradients.js';
import { createReferenceBackend } from '../testing/reference/reference-backend.js';

describe('gradient conformance cases on the reference backend (vs central finite differences)', () => {
  const reference = createReferenceBackend();
  for (const c of gradientCases()) {
    it(c.name, async () => {
      await checkGradientCase(reference, reference, c);
    });
  }
});
