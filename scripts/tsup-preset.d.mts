import type { Options } from 'tsup';
export declare const unbundled: NonNullable<Options['esbuildPlugins']>[number];
export declare function libraryConfig(dtsEntries: Record<string, string>, extra?: Options): Options;
