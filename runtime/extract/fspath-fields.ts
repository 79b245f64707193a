// fs.path.*: the path (or source and target) a successful filesystem syscall worked on, raw
// or made absolute. Which parameter holds it, and what "successful" means, depends on the
// event (libsinsp's table); relative paths are resolved against the cwd or the dirfd.
import type { Extracted } from '../operators/values.ts';
import type { ExtractorFactory, Extractor, EventContext } from './context.ts';
import { eventEnum } from './event-traits.ts';
import { eventFd, fdEventThread, fdNameFromEvent, openatBase } from './fd-lookup.ts';
import { stringParam } from './param-render.ts';
import { concatenatePaths } from './path-concat.ts';

/** Where the path comes from: a parameter by name, or the event's fd name. */
type PathSource = string | { fdName: true };

interface FsEvent {
  /** `res` must be 0, or (opens) `fd` must not be -1. */
  success: 'res0' | 'fdNot-1';
  path?: PathSource;
  source?: PathSource;
  target?: PathSource;
}

const FD_NAME = { fdName: true } as const;

const FS_EVENTS: Readonly<Record<string, FsEvent>> = {
  PPME_SYSCALL_MKDIR_2_X: { success: 'res0', path: 'path' },
  PPME_SYSCALL_MKDIRAT_X: { success: 'res0', path: 'path' },
  PPME_SYSCALL_RMDIR_2_X: { success: 'res0', path: 'path' },
  PPME_SYSCALL_UNLINK_2_X: { success: 'res0', path: 'path' },
  PPME_SYSCALL_UNLINKAT_2_X: { success: 'res0', path: 'name' },
  PPME_SYSCALL_OPEN_X: { success: 'fdNot-1', path: 'name' },
  PPME_SYSCALL_OPENAT_2_X: { success: 'fdNot-1', path: 'name' },
  PPME_SYSCALL_OPENAT2_X: { success: 'fdNot-1', path: 'name' },
  PPME_SYSCALL_FCHMODAT_X: { success: 'res0', path: 'filename' },
  PPME_SYSCALL_CHMOD_X: { success: 'res0', path: 'filename' },
  PPME_SYSCALL_FCHMOD_X: { success: 'res0', path: FD_NAME },
  PPME_SYSCALL_CHOWN_X: { success: 'res0', path: 'path' },
  PPME_SYSCALL_LCHOWN_X: { success: 'res0', path: 'path' },
  PPME_SYSCALL_FCHOWN_X: { success: 'res0', path: FD_NAME },
  PPME_SYSCALL_FCHOWNAT_X: { success: 'res0', path: 'pathname' },
  PPME_SYSCALL_QUOTACTL_X: { success: 'res0', path: 'special' },
  PPME_SYSCALL_RENAME_X: { success: 'res0', source: 'oldpath', target: 'newpath' },
  PPME_SYSCALL_RENAMEAT_X: { success: 'res0', source: 'oldpath', target: 'newpath' },
  PPME_SYSCALL_RENAMEAT2_X: { success: 'res0', source: 'oldpath', target: 'newpath' },
  // libsinsp's table names the link's new path the source.
  PPME_SYSCALL_LINK_2_X: { success: 'res0', source: 'newpath', target: 'oldpath' },
  PPME_SYSCALL_LINKAT_2_X: { success: 'res0', source: 'newpath', target: 'oldpath' },
  PPME_SYSCALL_SYMLINK_X: { success: 'res0', source: 'linkpath', target: 'target' },
  PPME_SYSCALL_SYMLINKAT_X: { success: 'res0', source: 'linkpath', target: 'target' },
  PPME_SYSCALL_MOUNT_X: { success: 'res0', source: 'dev', target: 'dir' },
  PPME_SYSCALL_UMOUNT_X: { success: 'res0', path: 'name' },
  PPME_SYSCALL_UMOUNT_1_X: { success: 'res0', path: 'name' },
  PPME_SYSCALL_UMOUNT2_X: { success: 'res0', path: 'name' },
};

/** Events whose fd is their dirfd: relative paths hang off that directory. */
const DIRFD_EVENTS = new Set([
  'PPME_SYSCALL_NEWFSTATAT_X', 'PPME_SYSCALL_FCHOWNAT_X', 'PPME_SYSCALL_FCHMODAT_X', 'PPME_SYSCALL_MKDIRAT_X',
  'PPME_SYSCALL_UNLINKAT_2_X', 'PPME_SYSCALL_MKNODAT_X',
]);

function intParam(ctx: EventContext, name: string): number | undefined {
  const v = ctx.view;
  const i = v.paramIndex(name);
  return i < 0 || i >= v.nparams || v.paramLength(i) === 0 ? undefined : v.int(i);
}

function succeeded(ctx: EventContext, how: FsEvent['success']): boolean {
  if (how === 'res0') return intParam(ctx, 'res') === 0;
  const fd = intParam(ctx, 'fd');
  return fd !== undefined && fd !== -1;
}

function rawPath(ctx: EventContext, src: PathSource): string | undefined {
  const v = ctx.view;
  if (typeof src !== 'string') {
    const t = fdEventThread(ctx);
    if (!t) return undefined;
    const f = eventFd(ctx, t);
    return f ? f.name : fdNameFromEvent(ctx, t, false);
  }
  const i = v.paramIndex(src);
  return i < 0 || i >= v.nparams ? undefined : stringParam(v, i);
}

/** The event's dirfd entry as a base directory; <UNKNOWN> unless it is a known directory. */
function dirfdDir(ctx: EventContext): string {
  const f = ctx.state.fdinfo;
  if (!f || f.type !== 'directory') return '<UNKNOWN>';
  return f.name === '' || f.name.endsWith('/') ? f.name : f.name + '/';
}

function dirfdParamBase(ctx: EventContext, path: string, param: string): string {
  return openatBase(ctx, ctx.state.tinfo!, path, intParam(ctx, param) ?? 0);
}

/** Makes a relative path absolute as fs.path.name/source/target do. */
function absolute(ctx: EventContext, e: string, role: 'path' | 'source' | 'target', path: string): Extracted {
  const t = ctx.state.tinfo;
  if (!t) return undefined;
  if (path.startsWith('/')) return concatenatePaths('', path);
  let base: string;
  let p = path;
  if (e === 'PPME_SYSCALL_OPENAT_2_X' || e === 'PPME_SYSCALL_OPENAT2_X') {
    // The parser already resolved the opened file's name.
    base = '';
    p = ctx.state.fdinfo?.name ?? '<UNKNOWN>';
  } else if (DIRFD_EVENTS.has(e)) base = dirfdDir(ctx);
  else if (e === 'PPME_SYSCALL_SYMLINKAT_X') base = role === 'source' ? dirfdDir(ctx) : '<UNKNOWN>';
  else if (e === 'PPME_SYSCALL_RENAMEAT2_X') {
    base = role === 'target' ? dirfdParamBase(ctx, path, 'newdirfd') : role === 'source' ? dirfdParamBase(ctx, path, 'olddirfd') : '<UNKNOWN>';
  } else base = ctx.state.cwdOf(t);
  return concatenatePaths(base, p);
}

function fsPath(role: 'path' | 'source' | 'target', raw: boolean): ExtractorFactory {
  return (): Extractor => (ctx) => {
    const e = eventEnum(ctx.view.type);
    const spec = FS_EVENTS[e];
    const src = spec?.[role];
    if (!spec || !src || !succeeded(ctx, spec.success)) return undefined;
    const path = rawPath(ctx, src);
    if (path === undefined) return undefined;
    return raw ? path : absolute(ctx, e, role, path);
  };
}

export const FSPATH_FIELDS: Readonly<Record<string, ExtractorFactory>> = {
  'fs.path.name': fsPath('path', false),
  'fs.path.nameraw': fsPath('path', true),
  'fs.path.source': fsPath('source', false),
  'fs.path.sourceraw': fsPath('source', true),
  'fs.path.target': fsPath('target', false),
  'fs.path.targetraw': fsPath('target', true),
};
