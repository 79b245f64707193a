// The `pmatch` operator: does some path of the set name a directory that
// contains the value (component-wise prefix)? Paths are split on '/', empty
// components are dropped, and a component holding `*`, `?` or `[` is an
// fnmatch glob for that one component. Exact components are tried before
// globs, as libsinsp's path_prefix_map does.

import { compileGlob } from './glob.ts';

interface TrieNode {
  /** A set path ends here, so every path below matches. */
  terminal: boolean;
  readonly exact: Map<string, TrieNode>;
  /** The same children as a list, walked per event without iterator allocations. */
  readonly exactList: { key: string; node: TrieNode }[];
  readonly globs: { pattern: string; match: (component: string) => boolean; node: TrieNode }[];
}

function newNode(): TrieNode {
  return { terminal: false, exact: new Map(), exactList: [], globs: [] };
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c.length > 0);
}

function isGlob(component: string): boolean {
  return /[*?[]/.test(component);
}

export class PathPrefixSet {
  private readonly root: TrieNode = newNode();

  constructor(paths: readonly string[]) {
    for (const path of paths) this.add(path);
  }

  private add(path: string): void {
    let node = this.root;
    for (const comp of components(path)) {
      // Below a terminal node everything already matches.
      if (node.terminal) return;
      let child: TrieNode | undefined;
      if (isGlob(comp)) {
        child = node.globs.find((g) => g.pattern === comp)?.node;
        if (child === undefined) {
          child = newNode();
          node.globs.push({ pattern: comp, match: compileGlob(comp, false), node: child });
        }
      } else {
        child = node.exact.get(comp);
        if (child === undefined) {
          child = newNode();
          node.exact.set(comp, child);
          node.exactList.push({ key: comp, node: child });
        }
      }
      node = child;
    }
    node.terminal = true;
  }

  matches(path: string): boolean {
    // libsinsp drops trailing NULs (a stored terminator) but keeps inner
    // ones, so a component holding a NUL only matches a glob up to the NUL.
    let end = path.length;
    while (end > 0 && path.charCodeAt(end - 1) === 0) end--;
    return matchFrom(this.root, path, 0, end);
  }
}

const SLASH = 0x2f;

// A trie node at depth d is only ever tried against component d, so the
// search visits each node at most once per call even with many globs.
// Components are compared in place (this runs per event on fresh paths): no
// split, and a component is copied out only for a node that has globs.
function matchFrom(node: TrieNode, path: string, from: number, end: number): boolean {
  if (node.terminal) return true;
  let start = from;
  while (start < end && path.charCodeAt(start) === SLASH) start++;
  if (start >= end) return false;
  let stop = start + 1;
  while (stop < end && path.charCodeAt(stop) !== SLASH) stop++;
  const length = stop - start;
  for (const { key, node: child } of node.exactList) {
    if (key.length === length && path.startsWith(key, start) && matchFrom(child, path, stop, end)) return true;
  }
  if (node.globs.length === 0) return false;
  const comp = path.slice(start, stop);
  for (const g of node.globs) {
    if (g.match(comp) && matchFrom(g.node, path, stop, end)) return true;
  }
  return false;
}
