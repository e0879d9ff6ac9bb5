/**
 * Runs `bin/docsort.js` as a user does — a real process, its exit status and both output
 * streams — so every CLI test starts the command the same way.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Environment } from '../../src/config.js';
import { repoRoot } from './repo-paths.js';

export const DOCSORT_BIN = path.join(repoRoot, 'bin/docsort.js');

export interface CliRun {
  /** The exit status; null when the process ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /**
   * The child's whole environment besides PATH, so a test states everything the command sees (no
   * TEST_DATABASE_URL or test-runner variables leak in).
   */
  env?: Environment;
  /** Written to stdin, which is then closed; without it stdin is closed from the start. */
  input?: string;
  /** Sends SIGTERM once stdout matches, for a long-running command such as `serve`; resolves when it has exited. */
  stopWhenStdoutMatches?: RegExp;
  /** A bound for a hung command, not a speed check: past it the child is killed and the run rejects. */
  timeoutMs?: number;
}

export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DOCSORT_BIN, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let stopSent = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stopSent && options.stopWhenStdoutMatches?.test(stdout)) {
        stopSent = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `docsort ${args.join(' ')} did not exit within ${timeoutMs} ms; stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (options.stopWhenStdoutMatches && !stopSent) {
        reject(
          new Error(
            `docsort ${args.join(' ')} exited with ${code ?? signal} before its output matched ${options.stopWhenStdoutMatches}; stderr: ${stderr.slice(-500)}`,
          ),
        );
        return;
      }
      resolve({ code, signal, stdout, stderr });
    });
  });
}
