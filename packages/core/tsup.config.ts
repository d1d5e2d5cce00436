import { defineConfig } from 'tsup';
import { libraryConfig } from '../../scripts/tsup-preset.mjs';

export default defineConfig(
  libraryConfig({
    index: 'src/index.ts',
    'plugins-entry': 'src/plugins-entry.ts',
    'experiments-entry': 'src/experiments-entry.ts',
    'testing/index': 'src/testing/index.ts',
    'ndarray/index': 'src/ndarray/index.ts',
  }),
);
