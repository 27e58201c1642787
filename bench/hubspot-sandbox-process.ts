/**
 * Child process that serves the bench's counting sandbox (hubspot-sandbox-host.ts, mode 'child').
 * Args: <HostOptions as JSON>
 */
import { runSandboxChild, type HostOptions } from './hubspot-sandbox-host';

runSandboxChild(JSON.parse(process.argv[2] ?? '{}') as HostOptions).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
