// Syscall fields whose string values never hold a NUL byte. Falco compares strings as C
// strings, so a check on any other string value first cuts it at its first NUL; these need no
// cut because every string they are built from was cut where it entered the runtime:
// - event parameters: EventView.str reads up to the first NUL, EventView.strings splits at
//   NULs (args, env, cgroups), socket paths are read as C strings;
// - capture tables: comm, exe, exepath, cwd, root, fd names, user and group names are read as
//   C strings (TableCursor.lengthPrefixedC), args/env/cgroups split at NULs;
// - fixed texts: type letters and names, errno names, capability names.
// A new producer of these values (a procfs scan, the live driver) must keep that invariant;
// test/runtime/extract/nul-free.test.ts replays captures whose tables and parameters are full
// of inner NULs and checks every field listed here on every event.
// Fields absent here (evt.arg.*, buffers, container metadata from plugin JSON, transformer
// results) keep the per-read cut.

export const NUL_FREE_FIELDS: ReadonlySet<string> = new Set([
  'evt.type', 'evt.dir', 'evt.res',
  'fd.type', 'fd.typechar', 'fd.name', 'fd.nameraw', 'fd.directory', 'fd.filename', 'fd.l4proto', 'fd.sockfamily',
  'proc.exe', 'proc.pexe', 'proc.aexe', 'proc.exepath', 'proc.pexepath', 'proc.aexepath',
  'proc.name', 'proc.pname', 'proc.aname', 'proc.sname',
  'proc.args', 'proc.cmdline', 'proc.pcmdline', 'proc.acmdline', 'proc.exeline', 'proc.env', 'proc.aenv', 'proc.cwd',
  'user.name', 'user.homedir', 'user.shell', 'user.loginname', 'group.name',
  'container.id',
  'thread.cap_permitted', 'thread.cap_inheritable', 'thread.cap_effective',
]);
