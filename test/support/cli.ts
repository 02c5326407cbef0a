import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = resolve(ROOT, process.env.HOOKGATE_CLI ?? 'dist/src/cli/main.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

/** Fails the suite early with what to do when the CLI was not built. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (or set HOOKGATE_CLI to a built src/cli/main.js)`);
}

/** A command as a child process, with exactly the environment given (plus PATH); killed after `timeoutMs`. */
export function run(command: string, args: string[], env: Record<string, string> = {}, cwd = ROOT, timeoutMs = 60_000): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}

/** The built CLI as a child process (see run). */
export function hookgate(args: string[], env: Record<string, string> = {}, cwd = ROOT, timeoutMs = 60_000): Promise<Run> {
  return run(process.execPath, [CLI, ...args], env, cwd, timeoutMs);
}
