/**
 * The files a command is given: file paths as they are, and folders walked recursively for the
 * files matching a glob (by default every type docsort reads), in a stable order.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What `docsort classify FOLDER` picks up without `--glob`: the types the extractor reads. */
export const DEFAULT_GLOB = '*.{pdf,png,jpg,jpeg,gif,webp,bmp,tif,tiff}';

/**
 * A glob as a regular expression: `**` any folders, `*` and `?` within one name, `{a,b}` either.
 * A glob without `/` is matched against the file name alone (like `.gitignore`); one with `/`
 * against the path below the folder, with `/` between names on every platform. Case-insensitive,
 * since `.PDF` and `.pdf` are the same type.
 */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '*' && glob[index + 1] === '*') {
      // `**/` is zero or more folders; a trailing `**` is anything.
      const slash = glob[index + 2] === '/';
      pattern += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else if (char === '{') {
      const end = glob.indexOf('}', index);
      if (end === -1) throw new Error(`unclosed "{" in --glob "${glob}"`);
      const choices = glob.slice(index + 1, end).split(',');
      pattern += `(?:${choices.map((choice) => choice.replace(/[.+^${}()|[\]\\*?]/g, '\\$&')).join('|')})`;
      index = end;
    } else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`, 'i');
}

export function matchesGlob(relativePath: string, glob: string, compiled = globToRegExp(glob)): boolean {
  const normalized = relativePath.split(path.sep).join('/');
  return compiled.test(glob.includes('/') ? normalized : path.posix.basename(normalized));
}

function walk(folder: string, root: string, compiled: RegExp, glob: string, found: string[]): void {
  const entries = fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) walk(full, root, compiled, glob, found);
    else if (entry.isFile() && matchesGlob(path.relative(root, full), glob, compiled)) found.push(full);
  }
}

/**
 * Every file to work on, in the order given (a folder's files sorted by path). A path that does
 * not exist is kept, so the command reports it like any unreadable file.
 */
export function findFiles(paths: readonly string[], glob: string = DEFAULT_GLOB): string[] {
  const compiled = globToRegExp(glob);
  const found: string[] = [];
  for (const given of paths) {
    let isFolder = false;
    try {
      isFolder = fs.statSync(given).isDirectory();
    } catch {
      // Missing: reported by the command, file by file.
    }
    if (isFolder) walk(given, given, compiled, glob, found);
    else found.push(given);
  }
  return found;
}
