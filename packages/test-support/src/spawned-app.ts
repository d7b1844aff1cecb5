import type { ChildProcess } from 'node:child_process';

/** What {@link listeningUrl} gives: the app's URL and everything it printed so far. */
export interface ListeningApp {
  readonly url: string;
  output(): string;
}

/**
 * Collects a spawned app's stdout and stderr and resolves with the URL of its first
 * `listening on http://…` line (the examples' and fixture apps' one line); rejects with
 * `what` and the output when the process exits first.
 */
export async function listeningUrl(child: ChildProcess, what: string): Promise<ListeningApp> {
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${output}`)));
  });
  return { url, output: () => output };
}
