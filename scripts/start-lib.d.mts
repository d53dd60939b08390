// Types of scripts/start-lib.mjs for the TypeScript tests.
export function nodeScriptCommand(
  root: string,
  pkg: string,
  entry: string,
): { command: string; args: string[] };
export function copyPackage(from: string, to: string): void;
export function envWithoutNodedir(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
