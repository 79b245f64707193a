// Random rules for differential testing: conditions over the grammar, the operators and real
// syscall fields, with values drawn from what the test captures contain (so rules do match)
// and from hostile strings (NUL and other control bytes, non-ASCII and invalid UTF-8 bytes,
// quotes, backslashes, glob and regex metacharacters). Seeded, so a failure replays.
import { parseCondition } from '../../../compiler/parse/parse.ts';
import { typecheck } from '../../../compiler/check/typecheck.ts';
import { conditionEventCodes } from '../../../compiler/check/event-types.ts';
import { toByteString } from '../../../compiler/load/source-file.ts';
import { catalogFor, SYSCALL_SOURCE } from '../../../runtime/fields/catalog.ts';

/** mulberry32: small, fast, good enough to explore a grammar. */
export class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  some<T>(xs: readonly T[], min: number, max: number): T[] {
    const n = min + this.int(max - min + 1);
    return Array.from({ length: n }, () => this.pick(xs));
  }
}

type Kind = 'str' | 'int' | 'bool' | 'ip' | 'net' | 'buf' | 'list' | 'evt';

interface FieldChoice {
  text: string;
  kind: Kind;
  /** Values seen on the captures for this field (most checks should sometimes pass). */
  pool?: readonly string[];
}

const NAMES = ['cat', 'python3', 'sh', 'bash', 'curl', 'dpkg-query', 'tar', 'find', 'du', 'grep', 'md5sum', 'id', 'mkdir', 'ld', 'gcc', 'capture.sh', 'sudo', 'ls', 'systemd', 'PYTHON3', 'Cat'];
const PATHS = [
  'txt', '.txt', 'LC_CTYPE', 'python3', 'sh', '.so.6', 'null', 'shadow', '/etc/shadow', '/etc/', '/etc', '/usr/lib/', '/usr/include/linux', '/var/lib/dpkg/info/', '/dev/null', '/opt/oracle-act/', '/proc', '/tmp',
  '/usr/bin/python3', '/bin/sh', '/', '/usr/lib/locale/C.UTF-8/LC_CTYPE', '/etc/hosts', '/root', '.txt', '.h', '.list', '.so', 'f1', 'locale',
];
const PREFIXES = ['/', '/etc', '/usr', '/usr/lib', 'py', 'c', '/opt', '/var/lib', 'dpkg', 'fi', 'O_', 'ip', '-'];
const SUFFIXES = ['.txt', 'txt', '.h', '.so', 'sh', '3', 'null', '/', 'LC_CTYPE', '.list', 'n', 'ile', 'e', 'query'];
const WORDS = ['file', 'directory', 'pipe', 'ipv4', 'ipv6', 'unix', 'f', 'd', 'p', 'u', '4', 'tcp', 'udp', 'root', 'host', 'SUCCESS', 'ENOENT', 'O_RDONLY', 'O_CLOEXEC', 'syscall', 'file', 'net', 'process'];
const ARGS = ['-s', '--list', '/etc/shadow', '-c', '--search', 'http://127.0.0.1', 'linux', '-sh /usr/include'];
const EVENTS = ['open', 'openat', 'openat2', 'execve', 'connect', 'accept', 'sendto', 'recvfrom', 'close', 'unlink', 'unlinkat', 'clone', 'vfork', 'dup2', 'socket', 'fcntl', 'read', 'write', 'procexit', 'mmap', 'fstat', 'access', 'poll', 'prlimit', 'chmod', 'rename', 'mkdir', 'setuid', 'bind'];
const INTS = ['0', '1', '-1', '2', '3', '4', '7', '100', '1000', '65535', '-2', '80', '443', '0x10', '231424', '4294967295'];
const IPS = ['127.0.0.1', '10.0.0.1', '0.0.0.0', '8.8.8.8', '::1', '192.168.1.1', '142.250.184.196', '127.0.0.53'];
const NETS = ['127.0.0.0/8', '10.0.0.0/8', '192.168.0.0/16', '0.0.0.0/0', '::1/128', '142.250.0.0/16', '172.16.0.0/12'];
const REGEXES = ['^/etc/', 'python[0-9]', 'sh$', '.*\\.txt$', '^(cat|curl)$', '[a-z]+-query', '^$', 'a|b', '^/usr/(lib|include)/', '\\d+', '(?i)PYTHON'];
const GLOBS = ['*', '/etc/*', '*.txt', 'py*', '?at', '/usr/*/linux', '[a-c]*', '*[!a-z]', '\\*', '**/locale/*'];
const HEX = ['474554', '48545450', '00', '2f6574632f', 'ff', '0a'];

const STR_FIELDS: FieldChoice[] = [
  { text: 'proc.name', kind: 'str', pool: NAMES }, { text: 'proc.pname', kind: 'str', pool: NAMES },
  { text: 'proc.exe', kind: 'str', pool: [...NAMES, ...PATHS] }, { text: 'proc.exepath', kind: 'str', pool: PATHS },
  { text: 'proc.cmdline', kind: 'str', pool: ARGS }, { text: 'proc.args', kind: 'str', pool: ARGS }, { text: 'proc.cwd', kind: 'str', pool: PATHS },
  { text: 'fd.name', kind: 'str', pool: PATHS }, { text: 'fd.directory', kind: 'str', pool: PATHS }, { text: 'fd.filename', kind: 'str', pool: PATHS },
  { text: 'fd.type', kind: 'str', pool: WORDS }, { text: 'fd.typechar', kind: 'str', pool: WORDS }, { text: 'fd.l4proto', kind: 'str', pool: WORDS },
  { text: 'fd.sockfamily', kind: 'str', pool: WORDS }, { text: 'user.name', kind: 'str', pool: WORDS }, { text: 'user.homedir', kind: 'str', pool: PATHS },
  { text: 'group.name', kind: 'str', pool: WORDS }, { text: 'evt.res', kind: 'str', pool: WORDS }, { text: 'evt.arg.flags', kind: 'str', pool: WORDS },
  { text: 'evt.arg[0]', kind: 'str', pool: [...PATHS, ...INTS] }, { text: 'evt.arg.name', kind: 'str', pool: PATHS }, { text: 'evt.args', kind: 'str', pool: ARGS },
  { text: 'evt.category', kind: 'str', pool: WORDS }, { text: 'proc.aname[1]', kind: 'str', pool: NAMES }, { text: 'proc.aname[2]', kind: 'str', pool: NAMES },
  { text: 'proc.aexe[1]', kind: 'str', pool: PATHS }, { text: 'proc.env[HOME]', kind: 'str', pool: PATHS }, { text: 'proc.env', kind: 'str', pool: PATHS },
  { text: 'proc.aenv[HOME]', kind: 'str', pool: PATHS }, { text: 'container.id', kind: 'str', pool: WORDS }, { text: 'container.name', kind: 'str', pool: WORDS },
  { text: 'fs.path.name', kind: 'str', pool: PATHS }, { text: 'thread.cap_effective', kind: 'str', pool: ['CAP_SYS_ADMIN', 'CAP_CHOWN'] },
  { text: 'proc.sname', kind: 'str', pool: NAMES }, { text: 'proc.stdin.type', kind: 'str', pool: WORDS }, { text: 'proc.exeline', kind: 'str', pool: ARGS },
  { text: 'evt.source', kind: 'str', pool: WORDS }, { text: 'fd.nameraw', kind: 'str', pool: PATHS },
  // Ancestor fields without an index: true when any ancestor passes.
  { text: 'proc.aname', kind: 'str', pool: NAMES }, { text: 'proc.aexe', kind: 'str', pool: PATHS }, { text: 'proc.aexepath', kind: 'str', pool: PATHS },
  { text: 'proc.acmdline', kind: 'str', pool: ARGS }, { text: 'proc.aenv', kind: 'str', pool: PATHS }, { text: 'proc.aenv[1]', kind: 'str', pool: PATHS },
];
const INT_FIELDS: FieldChoice[] = [
  'proc.pid', 'proc.ppid', 'proc.vpid', 'thread.tid', 'fd.num', 'user.uid', 'group.gid', 'evt.rawres', 'proc.cmdnargs', 'proc.cmdlenargs', 'evt.count',
  'evt.buflen', 'proc.tty', 'proc.nthreads', 'proc.apid[1]', 'proc.apid', 'user.loginuid', 'fd.dev', 'fd.ino', 'evt.cpu', 'proc.fdlimit', 'proc.sid',
  'fd.sport', 'fd.cport', 'fd.lport', 'fd.rport', 'fd.port', 'fd.proto', 'proc.fdusage', 'thread.cpu', 'evt.rawarg.res', 'evt.rawarg.fd', 'proc.is_exe_writable',
].map((text) => ({ text, kind: 'int' as const }));
const BOOL_FIELDS: FieldChoice[] = [
  'evt.failed', 'proc.is_exe_writable', 'fd.is_server', 'thread.ismain', 'evt.is_open_read', 'evt.is_open_write', 'container.privileged', 'proc.is_sid_leader',
  'fd.connected', 'evt.is_io', 'proc.is_exe_upper_layer',
].map((text) => ({ text, kind: 'bool' as const }));
const IP_FIELDS: FieldChoice[] = ['fd.ip', 'fd.sip', 'fd.cip', 'fd.rip', 'fd.lip'].map((text) => ({ text, kind: 'ip' as const }));
const NET_FIELDS: FieldChoice[] = ['fd.net', 'fd.snet', 'fd.cnet', 'fd.rnet', 'fd.lnet'].map((text) => ({ text, kind: 'net' as const }));
const EVT_FIELDS: FieldChoice[] = [
  { text: 'evt.type', kind: 'evt', pool: EVENTS }, { text: 'syscall.type', kind: 'evt', pool: EVENTS }, { text: 'evt.dir', kind: 'evt', pool: ['<', '>'] },
];
const OTHER_FIELDS: FieldChoice[] = [{ text: 'evt.buffer', kind: 'buf', pool: ['GET', 'HTTP', '\x00'] }, { text: 'fd.types', kind: 'list', pool: WORDS }];

// Weighted toward the shapes the emitter inlines (see compiler/emit/check-code.ts); the others
// call the reference operator implementation.
const STR_OPS = [
  '=', '=', '==', '!=', '!=', 'startswith', 'startswith', 'endswith', 'endswith', 'contains', 'contains', 'in', 'in', 'exists',
  '<', '<=', '>', '>=', 'icontains', 'glob', 'iglob', 'pmatch', 'intersects', 'regex',
];
const MOD_OPS = ['=', '!=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex'];
const INT_OPS = ['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'exists'];
const BUF_OPS = ['=', '!=', 'contains', 'startswith', 'endswith', 'bcontains', 'bstartswith', 'in', 'exists'];

/** Characters that try to break strings, comments, escapes and encodings. */
const HOSTILE_CHARS = ['\x00', '\x01', '\n', '\r', '\t', '"', "'", '`', '\\', '$', '{', '}', '*', '?', '[', ']', '/', 'é', '日', '\u2028', '\u2029', '\x7f', '\u00ff', ' ', '(', ')', ',', '😀'];

/** A condition-language string literal whose value is `s` (code units < 0x100 written as bytes). */
export function quoteValue(s: string, r: Random): string {
  const q = r.chance(0.8) ? '"' : "'";
  // Falco's scanner reads `\\"` as a backslash and an escaped quote: a value cannot end in `\`.
  if (s.endsWith('\\')) s += 'z';
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80 && c < 0x100 && r.chance(0.5)) out += `\\x${c.toString(16)}`; // a lone byte, invalid UTF-8
    else out += ch;
  }
  return out + q;
}

export function randomString(r: Random, base?: string): string {
  let s = base ?? '';
  const n = r.int(4);
  for (let i = 0; i < n; i++) {
    const pos = r.int(s.length + 1);
    const piece = r.chance(0.7) ? r.pick(HOSTILE_CHARS) : String.fromCharCode(0x61 + r.int(26));
    s = s.slice(0, pos) + piece + s.slice(pos);
  }
  return s;
}

export class ConditionGenerator {
  constructor(private readonly r: Random) {}

  private strValue(f: FieldChoice, op: string): string {
    const r = this.r;
    if (op === 'regex') return quoteValue(r.pick(REGEXES), r);
    if (op === 'glob' || op === 'iglob') return quoteValue(r.chance(0.8) ? r.pick(GLOBS) : randomString(r, r.pick(GLOBS)), r);
    // Proper prefixes and suffixes, so startswith and endswith pass without equality.
    const base = op === 'startswith' && r.chance(0.5) ? r.pick(PREFIXES) : op === 'endswith' && r.chance(0.5) ? r.pick(SUFFIXES) : r.pick(f.pool ?? PATHS);
    if (r.chance(0.25)) return quoteValue(randomString(r, base), r);
    if (r.chance(0.3)) return quoteValue(base, r);
    return /^[A-Za-z0-9_./:+-]+$/.test(base) && base !== '' ? base : quoteValue(base, r);
  }

  private value(f: FieldChoice, op: string): string {
    const r = this.r;
    switch (f.kind) {
      case 'int':
        return r.pick(INTS);
      case 'bool':
        return r.pick(['true', 'false']);
      case 'ip':
        return r.chance(0.8) ? r.pick(IPS) : r.pick(NETS);
      case 'net':
        return r.chance(0.7) ? r.pick(NETS) : r.pick(IPS);
      case 'buf':
        return op.startsWith('b') ? r.pick(HEX) : quoteValue(r.chance(0.5) ? r.pick(f.pool!) : randomString(r), r);
      default:
        return this.strValue(f, op);
    }
  }

  private list(f: FieldChoice, op: string): string {
    return `(${this.r.some([0], 1, 4).map(() => this.value(f, op)).join(', ')})`;
  }

  /** A string operand: a field, or a transformer over one. */
  private stringOperand(f: FieldChoice): string {
    const r = this.r;
    if (f.kind !== 'str' || !r.chance(0.2)) return f.text;
    const t = r.pick(['tolower', 'toupper', 'b64', 'basename', 'tolower', 'basename']);
    const inner = r.chance(0.2) ? `${r.pick(['tolower', 'toupper', 'basename'])}(${f.text})` : f.text;
    return `${t}(${inner})`;
  }

  check(): string {
    const r = this.r;
    const group = r.pick([
      STR_FIELDS, STR_FIELDS, STR_FIELDS, STR_FIELDS, STR_FIELDS, INT_FIELDS, INT_FIELDS, BOOL_FIELDS, IP_FIELDS, NET_FIELDS, EVT_FIELDS, EVT_FIELDS, OTHER_FIELDS,
    ]);
    const f = r.pick(group);
    switch (f.kind) {
      case 'evt': {
        const op = r.pick(['=', '!=', 'in', 'in', '=', 'exists', 'startswith']);
        if (op === 'exists') return `${f.text} exists`;
        if (op === 'in') return `${f.text} in (${r.some(f.pool!, 1, 4).join(', ')})`;
        return `${f.text} ${op} ${r.pick(f.pool!)}`;
      }
      case 'int': {
        if (r.chance(0.08)) return `len(${r.pick(STR_FIELDS).text}) ${r.pick(['=', '>', '<', '>=', '!='])} ${r.pick(['0', '1', '3', '5', '10', '20'])}`;
        const op = r.pick(INT_OPS);
        if (op === 'exists') return `${f.text} exists`;
        if (r.chance(0.08)) return `${f.text} ${op === 'in' || op === 'intersects' ? '=' : op} val(${r.pick(INT_FIELDS).text})`;
        return op === 'in' || op === 'intersects' ? `${f.text} ${op} ${this.list(f, op)}` : `${f.text} ${op} ${this.value(f, op)}`;
      }
      case 'bool':
      case 'ip':
      case 'net': {
        const op = r.pick(['=', '!=', 'in', 'exists', '=', 'intersects']);
        if (op === 'exists') return `${f.text} exists`;
        return op === 'in' || op === 'intersects' ? `${f.text} ${op} ${this.list(f, op)}` : `${f.text} ${op} ${this.value(f, op)}`;
      }
      case 'buf': {
        const op = r.pick(BUF_OPS);
        if (op === 'exists') return `${f.text} exists`;
        return op === 'in' ? `${f.text} in ${this.list(f, op)}` : `${f.text} ${op} ${this.value(f, op)}`;
      }
      case 'list': {
        const op = r.pick(['in', 'intersects', 'exists']);
        return op === 'exists' ? `${f.text} exists` : `${f.text} ${op} ${this.list(f, op)}`;
      }
      default: {
        const left = this.stringOperand(f);
        if (r.chance(0.1)) {
          const op = r.pick(MOD_OPS);
          return `${left} ${op} ${r.pick(['oneof', 'anyof', 'allof'])} ${this.list(f, op)}`;
        }
        const op = r.pick(STR_OPS);
        if (op === 'exists') return `${left} exists`;
        if (op === 'in' || op === 'intersects' || op === 'pmatch') return `${left} ${op} ${this.list(f, op)}`;
        if (r.chance(0.08) && op !== 'regex') {
          const other = r.pick(STR_FIELDS).text;
          return `${left} ${op} ${r.chance(0.5) ? `val(${other})` : `${r.pick(['tolower', 'toupper', 'basename'])}(${other})`}`;
        }
        return `${left} ${op} ${this.value(f, op)}`;
      }
    }
  }

  /** An expression of at most `depth` levels over `atom()`. */
  expr(depth: number, atom: () => string = () => this.check()): string {
    const r = this.r;
    if (depth <= 0 || r.chance(0.3)) return r.chance(0.15) ? `not ${atom()}` : atom();
    if (r.chance(0.15)) return `not (${this.expr(depth - 1, atom)})`;
    const op = r.chance(0.5) ? 'and' : 'or';
    const n = 2 + r.int(3);
    return `(${Array.from({ length: n }, () => this.expr(depth - 1, atom)).join(` ${op} `)})`;
  }

  /** A rule condition: usually restricted to a few event types, the rest random. */
  condition(atom?: () => string): string {
    const r = this.r;
    const body = this.expr(3, atom);
    const roll = r.next();
    // Few rules for (nearly) every event type: each evaluator group carries them all.
    if (roll < 0.72) return `evt.type in (${r.some(EVENTS, 1, 4).join(', ')}) and ${body}`;
    if (roll < 0.94) return `evt.type = ${r.pick(EVENTS)} and ${body}`;
    if (roll < 0.96) return `${body} and evt.type != ${r.pick(EVENTS)}`;
    if (roll < 0.98) return `(${body} or evt.type = ${r.pick(EVENTS)}) and not evt.type in (${r.some(EVENTS, 1, 3).join(', ')})`;
    return body; // all event types, or whatever evt.type checks the body holds
  }
}

const catalog = catalogFor(SYSCALL_SOURCE)!;

/** Whether the rules loader would accept the condition (parse, type check, event codes). */
export function conditionLoads(condition: string): boolean {
  try {
    const ast = parseCondition(toByteString(condition));
    typecheck(ast, { catalog });
    conditionEventCodes(ast);
    return true;
  } catch {
    return false;
  }
}

/** A YAML double-quoted scalar holding `s` exactly (everything outside printable ASCII escaped). */
export function yamlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

export interface RandomRuleset {
  yaml: string;
  /** Rule name → condition (with macros and lists as written), for failure messages. */
  conditions: Map<string, string>;
}

/** String values cannot hold a NUL byte (Falco rejects them); rule conditions are filtered, these are not. */
const loadable = (s: string) => s.replace(/\x00/g, '');

/** A rules file of `count` random rules, with the lists and macros they use. */
export function randomRuleset(seed: number, count: number): RandomRuleset {
  const r = new Random(seed);
  const gen = new ConditionGenerator(r);
  const docs: string[] = [];
  // Checks shared between rules, so the evaluators memoise them.
  const pool: string[] = [];
  while (pool.length < 150) {
    const c = gen.check();
    if (conditionLoads(c)) pool.push(c);
  }
  // Lists and macros over the pool. Like Falco, the loader pastes list items (and exception
  // values) into the condition text, quoting only items with a blank: hostile items must come
  // quoted in the condition syntax, as rule authors write them.
  const listNames = ['rnd_names', 'rnd_paths'];
  const listItems = [
    ['cat', 'sh', 'python3', 'curl', ...Array.from({ length: 3 }, () => quoteValue(loadable(randomString(r, 'bash')), r))],
    ['/etc', '/usr/lib', '/tmp', ...Array.from({ length: 3 }, () => quoteValue(loadable(randomString(r, '/opt')), r))],
  ];
  listNames.forEach((name, i) => docs.push(`- list: ${name}\n  items: [${listItems[i]!.map(yamlString).join(', ')}]`));
  const listChecks = [
    'proc.name in (rnd_names)', 'proc.pname in (rnd_names)', 'proc.aname in (rnd_names)', 'fd.directory in (rnd_paths)',
    'fd.name pmatch (rnd_paths)', 'fd.name startswith (rnd_paths)', 'proc.name intersects (rnd_names)', 'fd.types intersects (rnd_names)',
  ];
  const macros: string[] = [];
  for (let i = 0; macros.length < 8; i++) {
    const body = gen.expr(2, () => r.pick(pool));
    if (!conditionLoads(body)) continue;
    const name = `rnd_m${i}`;
    macros.push(name);
    docs.push(`- macro: ${name}\n  condition: ${yamlString(body)}`);
  }
  const atom = () => {
    const roll = r.next();
    if (roll < 0.45) return r.pick(pool);
    if (roll < 0.8) return gen.check();
    if (roll < 0.92) return r.pick(macros);
    return r.pick(listChecks);
  };
  const conditions = new Map<string, string>();
  // Macro and list references are checked by the loader; the rest before it sees them.
  const expandable = (c: string) =>
    conditionLoads(c.replace(/\brnd_m\d+\b/g, 'proc.name exists').replace(/\((rnd_names|rnd_paths)\)/g, '(a, b)'));
  // A third of the rules test one check each on the busiest event types (a wrong operator cannot
  // hide behind and/or); the others are trees over shared checks, macros and lists.
  const single = Math.floor(count / 3);
  for (let i = 0; conditions.size < count; i++) {
    const cond = conditions.size < single ? `evt.type in (openat, execve, close, connect, clone, fcntl) and ${gen.check()}` : gen.condition(atom);
    if (!expandable(cond)) continue;
    const name = `r${i} ${r.chance(0.3) ? randomString(r, 'rule') : 'rule'}`.replace(/[\x00-\x1f\x7f]/g, '_');
    if (conditions.has(name)) continue;
    conditions.set(name, cond);
    let doc = `- rule: ${yamlString(name)}\n  desc: random\n  condition: ${yamlString(cond)}\n  output: "%proc.name %evt.type %fd.name"\n  priority: WARNING`;
    if (r.chance(0.1)) {
      const values = Array.from({ length: 1 + r.int(2) }, () => `[${yamlString(r.pick(['cat', 'sh', 'python3', quoteValue(loadable(randomString(r, 'x')), r)]))}, ${yamlString(r.pick(['/etc', '/usr', quoteValue(loadable(randomString(r, '/')), r)]))}]`);
      doc += `\n  exceptions:\n    - name: ex\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values:\n${values.map((v) => `        - ${v}`).join('\n')}`;
    }
    if (r.chance(0.05)) doc += '\n  enabled: false';
    docs.push(doc);
  }
  return { yaml: docs.join('\n\n') + '\n', conditions };
}
