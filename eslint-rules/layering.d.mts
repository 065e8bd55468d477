import type { ESLint } from 'eslint';

export declare const FLOORS: string[][];
declare const plugin: ESLint.Plugin;
export default plugin;
