/**
 * Output paths given on the command line, checked before anything is run or
 * written: a folder where a file is wanted (or the reverse), or a file in a
 * folder that does not exist, is bad input (exit 2), not a crash after the work.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** A file to write: not a folder, in a folder that exists. */
export function checkOutputFile(file: string, flag: string): string {
  if (file.trim() === '') throw new UsageError(`${flag}: expected a file name, got an empty value`);
  if (isDir(file)) throw new UsageError(`${flag}: ${file} is a folder; expected a file to write`);
  const parent = path.dirname(path.resolve(file));
  if (!existsSync(parent)) throw new UsageError(`${flag}: cannot write ${file}: the folder ${path.dirname(file)} does not exist`);
  if (!isDir(parent)) throw new UsageError(`${flag}: cannot write ${file}: ${path.dirname(file)} is not a folder`);
  return file;
}

/** A folder to create or fill: not an existing file, nor under one. */
export function checkOutputDir(dir: string, flag: string): string {
  if (dir.trim() === '') throw new UsageError(`${flag}: expected a folder name, got an empty value`);
  let p = path.resolve(dir);
  for (;;) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) throw new UsageError(`${flag}: ${p === path.resolve(dir) ? dir : p} is a file; expected a folder`);
      return dir;
    }
    const up = path.dirname(p);
    if (up === p) return dir;
    p = up;
  }
}

/** Writes `text` to a checked output file; a failure (permissions, a full disk) is reported in one line. */
export function writeOutput(file: string, text: string, flag: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new UsageError(`${flag}: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
