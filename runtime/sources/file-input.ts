// Plugin events from files, folders (recursively, in name order) and standard input (`-`):
// each file is one JSON document or JSON lines, gzip or not (by its magic bytes), cut into
// events by the source (documents.ts). A bad document is reported with its file and line and
// skipped; the events around it are kept. CloudTrail events come out in time order, as the
// cloudtrail plugin sorts a folder's records.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compact, parseJson, type JsonNode } from './json-doc.ts';
import { splitDocument } from './documents.ts';
import type { PluginEvent, PluginSourceDef } from './plugin-event.ts';

export interface InputProblem {
  /** `file:line`, or `file` for the whole file. */
  where: string;
  message: string;
}

export interface ReadOptions {
  /** Bad documents and unreadable files (counted by the caller). */
  onProblem(p: InputProblem): void;
  /** Standard input's bytes (for `-`); default: read fd 0. */
  stdin?: () => Buffer;
  /** A file larger than this is refused (bytes; default 1 GiB). */
  maxFileBytes?: number;
}

/** Every file under the paths, folders expanded in name order; what cannot be read is said. */
export function inputFiles(paths: readonly string[], onProblem: ReadOptions['onProblem']): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (p === '-') return void out.push(p);
    try {
      if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
      else out.push(p);
    } catch (e) {
      onProblem({ where: p, message: `cannot read: ${(e as Error).message}` });
    }
  };
  for (const p of paths) walk(p);
  return out;
}

/** A plugin event over a document; its text (compact JSON) is made only when asked for. */
export class DocumentEvent implements PluginEvent {
  private textCache: string | undefined;
  memo?: unknown;

  constructor(
    public num: number,
    readonly ts: bigint,
    readonly source: string,
    readonly doc: JsonNode | undefined,
    raw?: string,
  ) {
    this.textCache = raw;
  }

  get text(): string {
    return (this.textCache ??= this.doc ? compact(this.doc) : '');
  }
}

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/** The documents of one file's text: the whole text as one JSON value, else one per line
 * (parsed as they are asked for, so a large JSON-lines file is not all in memory at once). */
export function* documentsOf(text: string, where: string, onProblem: ReadOptions['onProblem']): Generator<{ doc: JsonNode; where: string }> {
  let whole: unknown;
  try {
    yield { doc: parseJson(text), where };
    return;
  } catch (e) {
    whole = e;
  }
  let line = 0;
  let lines = 0;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const l = text.slice(at, end);
    at = end + 1;
    line++;
    if (!l.trim()) continue;
    lines++;
    try {
      yield { doc: parseJson(l), where: `${where}:${line}` };
    } catch (e) {
      onProblem({ where: `${where}:${line}`, message: `not JSON: ${(e as Error).message}` });
    }
  }
  if (lines === 0) onProblem({ where, message: `not JSON: ${(whole as Error).message}` });
}

function fileText(file: string, o: ReadOptions): string | undefined {
  try {
    let bytes = file === '-' ? (o.stdin ?? (() => readFileSync(0)))() : readFileSync(file);
    if (bytes.length > (o.maxFileBytes ?? 1 << 30)) throw new Error(`larger than ${o.maxFileBytes ?? 1 << 30} bytes`);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    return bytes.toString('utf8');
  } catch (e) {
    o.onProblem({ where: file === '-' ? 'standard input' : file, message: `cannot read: ${(e as Error).message}` });
    return undefined;
  }
}

/** One file's events, in the file's order. */
function* fileEvents(def: PluginSourceDef, file: string, o: ReadOptions): Generator<DocumentEvent> {
  const text = fileText(file, o);
  if (text === undefined) return;
  for (const { doc, where } of documentsOf(text, file === '-' ? 'standard input' : file, o.onProblem)) {
    const split = splitDocument(def.source, doc);
    if ('error' in split) {
      o.onProblem({ where, message: split.error });
      continue;
    }
    for (const e of split.events) {
      const ts = def.time?.(e);
      // CloudTrail records are ordered and timed by eventTime: one without is no event.
      if (ts === undefined && def.source === 'aws_cloudtrail') o.onProblem({ where, message: 'a CloudTrail record without a valid eventTime (skipped)' });
      else yield new DocumentEvent(0, ts ?? nowNs(), def.source, e);
    }
  }
}

/**
 * The events of the files, numbered from 1, timed by the document (else when read). A file is
 * read when the previous one's events are done, so memory holds one file at a time — except
 * for CloudTrail, whose records of all files are put in time order first. `onFile` is told
 * each file as it is opened (progress).
 */
export function* pluginEvents(def: PluginSourceDef, paths: readonly string[], o: ReadOptions & { onFile?(file: string, index: number, count: number): void }): Generator<PluginEvent> {
  const files = inputFiles(paths, o.onProblem);
  let num = 0;
  if (def.source === 'aws_cloudtrail') {
    const all: DocumentEvent[] = [];
    files.forEach((f, i) => {
      o.onFile?.(f, i, files.length);
      for (const e of fileEvents(def, f, o)) all.push(e);
    });
    all.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    for (const e of all) {
      e.num = ++num;
      yield e;
    }
    return;
  }
  for (let i = 0; i < files.length; i++) {
    o.onFile?.(files[i]!, i, files.length);
    for (const e of fileEvents(def, files[i]!, o)) {
      e.num = ++num;
      yield e;
    }
  }
}

/** All the events at once (see pluginEvents). */
export function readPluginEvents(def: PluginSourceDef, paths: readonly string[], o: ReadOptions): PluginEvent[] {
  return [...pluginEvents(def, paths, o)];
}
