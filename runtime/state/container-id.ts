// Container id of a thread from its cgroup paths, as the container plugin derives it
// (spec/containers.md §2): engines podman, docker, cri, containerd, lxc, libvirt_lxc, bpm in
// that order; the first cgroup path that yields an id wins; '' means host.

type Layout = [prefix: string, suffix: string];

const PODMAN: Layout[] = [
  ['/libpod-', '.scope'], ['/libpod-', '.scope/container'], ['/libpod-', ''],
  ['/libpod-payload-', '.scope'], ['/libpod-payload-', '.scope/container'], ['/libpod-payload-', ''],
];
const DOCKER: Layout[] = [['/', ''], ['/docker-', '.scope']];
const CRI: Layout[] = [['/', ''], ['/crio-', ''], ['/cri-containerd-', '.scope'], ['/crio-', '.scope'], [':cri-containerd:', ''], ['/docker-', '.scope']];
const CONTAINERD_PREFIX = /\/([A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*)\//;
const HEX = /[0-9a-fA-F]/;

/** The runc layout rule, with its upstream hex-check quirk (only offsets < 64 are validated). */
function runcMatch(path: string, [prefix, suffix]: Layout, relaxed: boolean): string | undefined {
  const p = path.lastIndexOf(prefix);
  if (p < 0) return undefined;
  const s = p + prefix.length;
  const e = suffix === '' ? path.length : path.lastIndexOf(suffix);
  if (e < 0 || e < s) return undefined;
  const len = e - s;
  if (len === 64) {
    let bad = s;
    while (bad < path.length && HEX.test(path[bad]!)) bad++;
    if (bad >= path.length || bad >= 64) return path.slice(s, s + 12);
  }
  if (len > 64 || len === 0) return undefined;
  if (!relaxed || /\.(service|slice|scope)$/.test(path)) return undefined;
  return path.slice(s, s + Math.min(12, len));
}

function runcEngine(path: string, layouts: Layout[], relaxed = false): string | undefined {
  for (const l of layouts) {
    const id = runcMatch(path, l, relaxed);
    if (id !== undefined) return id;
  }
  return undefined;
}

function lxc(path: string): string | undefined {
  for (const marker of ['/lxc/', '/lxc.payload/', '/lxc.payload.']) {
    const i = path.indexOf(marker);
    if (i < 0) continue;
    const rest = path.slice(i + marker.length);
    const slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.slice(0, slash);
  }
  return undefined;
}

function libvirtLxc(path: string): string | undefined {
  const suffix = '.libvirt-lxc';
  const at = path.indexOf(suffix);
  if (at >= 0 && at + suffix.length === path.length) return path.slice(path.lastIndexOf('/') + 1, at);
  const marker = path.indexOf('-lxc\\x2');
  if (marker >= 0) {
    const delim = path.includes('.scope/libvirt') ? '.scope/libvirt' : '.scope';
    const d = path.indexOf(delim);
    if (d < 0 || d + delim.length !== path.length) return undefined;
    return path.slice(marker + 8, d);
  }
  const lx = path.indexOf('/libvirt/lxc/');
  return lx >= 0 ? path.slice(lx + '/libvirt/lxc/'.length) : undefined;
}

function bpm(path: string): string | undefined {
  const i = path.indexOf('bpm-');
  if (i < 0) return undefined;
  const rest = path.slice(i + 4);
  const end = rest.indexOf('.scope');
  const id = end < 0 ? rest : rest.slice(0, end);
  return id !== '' && /^[A-Za-z0-9._-]+$/.test(id) ? id : undefined;
}

/** The id one cgroup path gives, or undefined. */
export function containerIdOfPath(path: string): string | undefined {
  const containerd = () => {
    const m = CONTAINERD_PREFIX.exec(path);
    return m ? runcMatch(path, [m[0], ''], true) : undefined;
  };
  const id = runcEngine(path, PODMAN) ?? runcEngine(path, DOCKER) ?? runcEngine(path, CRI) ?? containerd() ?? lxc(path) ?? libvirtLxc(path) ?? bpm(path);
  return id === '' ? undefined : id;
}

const cache = new Map<string, string | undefined>();

/** A thread's container id from its (subsystem, path) cgroup list. */
export function containerIdOf(cgroups: readonly (readonly [string, string])[]): string {
  for (const [, path] of cgroups) {
    if (path === '') continue;
    let id = cache.get(path);
    if (id === undefined && !cache.has(path)) {
      id = containerIdOfPath(path);
      if (cache.size > 1000) cache.clear();
      cache.set(path, id);
    }
    if (id) return id;
  }
  return '';
}

/** Parses a `subsys=path\0…` blob into normalised pairs; undefined if an item lacks `=`. */
export function parseCgroups(items: readonly string[]): [string, string][] | undefined {
  const out: [string, string][] = [];
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) return undefined;
    let sub = item.slice(0, eq).replace('_cgroup', '');
    if (sub === 'perf') sub = 'perf_event';
    else if (sub === 'mem') sub = 'memory';
    else if (sub === 'io') sub = 'blkio';
    out.push([sub, item.slice(eq + 1)]);
  }
  return out;
}
