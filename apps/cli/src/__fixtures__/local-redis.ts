import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Why queue tests must skip here, or undefined when `redis-server` runs. */
export function redisMissing(): string | undefined {
  const probe = spawnSync('redis-server', ['--version']);
  return probe.error ? 'redis-server is not installed (apt-get install redis-server)' : undefined;
}

/** Starts a throwaway password-protected `redis-server` on 127.0.0.1 and a free port (no persistence). */
export async function startLocalRedis(password: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--requirepass', password], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}: ${output}`)));
  });
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
