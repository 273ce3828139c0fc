/**
 * The download cache, laid out like huggingface_hub's: `models--org--name/snapshots/<commit>/<file>` holds finished
 * files, `refs/<revision>` names the commit, and `blobs/<key>.incomplete` holds bytes still arriving. A ref is
 * written only after every file of its snapshot is in place, so a ref means "complete": later calls need no network.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { chooseTokenizerFiles, type TokenizerFileChoice } from './tokenizerFiles';

export interface CachedSnapshot extends TokenizerFileChoice {
  commit: string;
  dir: string;
}

/** The model a file in this cache belongs to (`org/name` from `models--org--name/snapshots/…`), else undefined. */
export function cachedModelId(file: string): string | undefined {
  const parts = path.resolve(file).split(path.sep);
  const snapshots = parts.lastIndexOf('snapshots');
  const folder = snapshots > 0 ? parts[snapshots - 1] : '';
  return folder.startsWith('models--') && snapshots + 2 < parts.length ? folder.slice('models--'.length).split('--').join('/') : undefined;
}

export class HubCache {
  readonly repoDir: string;

  constructor(cacheDir: string, modelId: string) {
    this.repoDir = path.join(cacheDir, `models--${modelId.split('/').join('--')}`);
  }

  snapshotDir(commit: string): string {
    return path.join(this.repoDir, 'snapshots', commit);
  }

  /** Where a file's bytes gather until verified; keyed by content hash when known, so a resume never mixes versions. */
  incompletePath(key: string): string {
    return path.join(this.repoDir, 'blobs', `${key}.incomplete`);
  }

  /** The complete snapshot a revision was downloaded as, or undefined when it never finished (or was deleted). */
  async completeSnapshot(revision: string): Promise<CachedSnapshot | undefined> {
    let commit: string;
    let names: string[];
    try {
      commit = (await readFile(this.refPath(revision), 'utf8')).trim();
      names = await readdir(this.snapshotDir(commit));
    } catch {
      return undefined; // not downloaded yet
    }
    const choice = chooseTokenizerFiles(names);
    return choice && { ...choice, commit, dir: this.snapshotDir(commit) };
  }

  /** Whether a finished file is already in the snapshot (from an earlier, interrupted call). */
  async hasFile(commit: string, file: string): Promise<boolean> {
    return stat(path.join(this.snapshotDir(commit), file)).then((s) => s.isFile(), () => false);
  }

  /** Moves a verified file into its snapshot; a rename, so readers never see half a file. */
  async place(incomplete: string, commit: string, file: string): Promise<string> {
    const target = path.join(this.snapshotDir(commit), file);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(incomplete, target);
    return target;
  }

  /** Marks the revision complete at this commit: written beside and renamed, so a crash leaves no half ref. */
  async writeRef(revision: string, commit: string): Promise<void> {
    const ref = this.refPath(revision);
    await mkdir(path.dirname(ref), { recursive: true });
    const temporary = `${ref}.${process.pid}.tmp`;
    await writeFile(temporary, commit);
    await rename(temporary, ref);
  }

  async ensureBlobsDir(): Promise<void> {
    await mkdir(path.join(this.repoDir, 'blobs'), { recursive: true });
  }

  async discard(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  private refPath(revision: string): string {
    return path.join(this.repoDir, 'refs', ...revision.split('/'));
  }
}
