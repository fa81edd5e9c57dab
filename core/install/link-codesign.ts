// Apple silicon refuses to run a Mach-O binary whose code signature no longer matches its bytes, and
// replacing a binary prefix placeholder changes the bytes. conda re-signs such files ad hoc
// (`codesign -s - -f <file>`) when the package is for osx-arm64 and the machine is a Mac; so do we.
// Nothing here runs anywhere else (and so cannot be tested off macOS).

import { execFile } from 'node:child_process';

/** Whether a binary file of a package for `subdir`, rewritten on `platform`, must be re-signed. */
export function needsCodesign(subdir: string | undefined, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'darwin' && subdir === 'osx-arm64';
}

/** Re-signs `path` ad hoc; resolves to a problem description when codesign failed, else undefined. */
export function codesign(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('/usr/bin/codesign', ['-s', '-', '-f', path], (error, _stdout, stderr) => {
      resolve(error ? `codesign failed for ${path}: ${String(stderr).trim() || error.message}` : undefined);
    });
  });
}
