import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';

const sidebarPath = fileURLToPath(new URL('../generated/sidebar.json', import.meta.url));
if (!existsSync(sidebarPath))
  throw new Error('docs: run `node scripts/generate.mjs` first (pnpm docs:build does).');
const generated = JSON.parse(readFileSync(sidebarPath, 'utf8'));

export default defineConfig({
  // Doc comments are full of subscripts like x_{t−1}: markdown-it-attrs would read `{t−1}` as an
  // attribute list and break the build, so attribute syntax is off.
  markdown: { attrs: { disable: true } },
  title: 'argmin',
  description:
    'Optimization and numerical methods from recent papers, in TypeScript: typed, fast, reproducible, in Node and the browser.',
  cleanUrls: true,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  // Generated pages live in generated/ and are served at the root.
  rewrites: { 'generated/:rest*': ':rest*' },
  srcExclude: ['README.md', 'e2e/**', 'test/**', 'generated/partials/**'],
  // Every internal link must resolve: the build fails on a dead link.
  ignoreDeadLinks: false,
  vite: {
    worker: { format: 'es' },
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Methods', link: '/methods/' },
      { text: 'Reproductions', link: '/experiments/' },
      { text: 'Papers', link: '/papers' },
      { text: 'Results', link: '/results' },
    ],
    sidebar: {
      '/guide/': [
        {
          text: 'Guide',
          items: [
            { text: 'Getting started', link: '/guide/getting-started' },
            { text: 'Writing a plugin', link: '/guide/writing-a-plugin' },
            { text: 'Pipelines', link: '/guide/pipelines' },
            { text: 'Errors and statuses', link: '/guide/errors' },
            { text: 'Sweeps and scale-out', link: '/guide/scale-out' },
          ],
        },
        { text: 'Packages', items: generated.packages },
      ],
      '/areas/': [{ text: 'Packages', items: generated.packages }],
      '/methods/': [{ text: 'Methods', link: '/methods/' }, ...generated.methods],
      '/experiments/': [{ text: 'Reproductions', link: '/experiments/' }, ...generated.experiments],
    },
    search: { provider: 'local' },
  },
});
