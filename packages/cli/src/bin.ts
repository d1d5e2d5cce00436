#!/usr/bin/env node
import { createProgram } from './cli';

// `argmin list | head -1`: the reader closed the pipe; stop quietly instead of dying on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const argv = process.argv.slice(2);
const program = createProgram({
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
program.run(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // createProgram reports every error itself; this is a last resort (no stack unless --debug).
    const debug = argv.includes('--debug');
    process.stderr.write(
      `argmin: ${error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
