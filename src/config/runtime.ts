import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Manifest {
  version: string;
  nodeRange: string;
}

/** The service's package.json above this file (src/ in development, dist/src/ when built). */
function readManifest(): Manifest {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 5; level += 1) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
        engines?: { node?: string };
      };
      if (manifest.name === 'ai-crew-system' && manifest.version) {
        return { version: manifest.version, nodeRange: manifest.engines?.node ?? 'unknown' };
      }
    } catch {
      // Not at this level; look further up.
    }
    directory = dirname(directory);
  }
  return { version: 'unknown', nodeRange: 'unknown' };
}

const MANIFEST = readManifest();

export const SERVICE_VERSION = MANIFEST.version;

/**
 * Whether `version` (e.g. "v24.21.0") satisfies an engines range of the only form this package uses, ">=X.Y.Z".
 * Any other form is reported as unsupported rather than guessed at.
 */
export function satisfiesMinimum(version: string, range: string): boolean {
  const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  const actual = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!minimum || !actual) return false;
  for (let part = 1; part <= 3; part += 1) {
    const difference = Number(actual[part]) - Number(minimum[part]);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

export interface RuntimeInfo {
  node: string;
  node_supported: string;
  supported: boolean;
  platform: string;
  arch: string;
  pid: number;
}

/** The Node.js runtime this process runs on, and whether package.json's engines allow it. */
export function runtimeInfo(): RuntimeInfo {
  return {
    node: process.version,
    node_supported: MANIFEST.nodeRange,
    supported: satisfiesMinimum(process.version, MANIFEST.nodeRange),
    platform: process.platform,
    arch: process.arch,
    pid: process.pid,
  };
}
