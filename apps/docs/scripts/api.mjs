// Generates the API reference of every documented package with TypeDoc (markdown output) into
// generated/api/<package>/, wrapped in v-pre so Vue leaves type signatures alone.
// Usage (from apps/docs): node scripts/api.mjs
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application } from 'typedoc';
import { documentedPackages } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const out = resolve(here, '../generated/api');

function walk(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export async function generateApi() {
  const done = [];
  for (const name of documentedPackages()) {
    const folder = name.slice('@argmin/'.length);
    const packageRoot = join(repoRoot, 'packages', folder);
    const entry = join(packageRoot, 'src/index.ts');
    if (!existsSync(entry)) continue;
    const app = await Application.bootstrapWithPlugins({
      entryPoints: [entry],
      tsconfig: join(packageRoot, 'tsconfig.json'),
      plugin: ['typedoc-plugin-markdown'],
      out: join(out, folder),
      readme: 'none',
      entryFileName: 'index',
      hidePageHeader: true,
      hideBreadcrumbs: true,
      excludePrivate: true,
      excludeInternal: true,
      skipErrorChecking: true,
      logLevel: 'Error',
      name,
    });
    const project = await app.convert();
    if (!project) throw new Error(`api: TypeDoc could not convert ${name}`);
    await app.generateOutputs(project);
    for (const file of walk(join(out, folder)).filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, `::: v-pre\n\n${text}\n\n:::\n`);
    }
    done.push(name);
  }
  return done;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const done = await generateApi();
  console.log(`api: generated the reference of ${done.length} packages`);
}
