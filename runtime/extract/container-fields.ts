// container.* and k8s.* (the container plugin's fields, spec/containers.md §3): values from
// the thread's container record; host threads read the built-in host record; a container id
// with no record has only its id and start time. Everything is missing without a thread.
import type { Extracted } from '../operators/values.ts';
import type { ExtractorFactory, Extractor, EventContext, FieldRef } from './context.ts';
import { noValue } from './context.ts';
import { bool, bytesOf, type ContainerJson, eventContainer, str, stringMap } from './container-records.ts';

const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'docker', 1: 'lxc', 2: 'libvirt-lxc', 3: 'mesos', 4: 'rkt', 6: 'cri', 7: 'containerd', 8: 'cri-o', 9: 'bpm', 11: 'podman',
  65534: 'host',
};

/** A field with a host value and a value read from a record; nothing for unknown containers. */
function recordField(host: Extracted, of: (rec: ContainerJson, ctx: EventContext) => Extracted): ExtractorFactory {
  return (): Extractor => (ctx) => {
    const c = eventContainer(ctx);
    if (!c || c.kind === 'unknown') return undefined;
    return c.kind === 'host' ? host : of(c.rec, ctx);
  };
}

const textField = (key: string, host: string | undefined = '') => recordField(host, (rec) => str(rec, key));
const boolField = (key: string) => recordField(false, (rec) => bool(rec, key));

interface Mount {
  source: string;
  dest: string;
  mode: string;
  rw: boolean;
  propagation: string;
}

function mountsOf(rec: ContainerJson): Mount[] {
  const list = rec['Mounts'];
  if (!Array.isArray(list)) return [];
  return list.map((m: Record<string, unknown>) => ({
    source: typeof m['Source'] === 'string' ? bytesOf(m['Source']) : '',
    dest: typeof m['Destination'] === 'string' ? bytesOf(m['Destination']) : '',
    mode: typeof m['Mode'] === 'string' ? bytesOf(m['Mode']) : '',
    rw: m['RW'] === true,
    propagation: typeof m['Propagation'] === 'string' ? bytesOf(m['Propagation']) : '',
  }));
}

const mountText = (m: Mount) => `${m.source}:${m.dest}:${m.mode}:${m.rw}:${m.propagation}`;

/**
 * container.mount*[ARG]: a plain number indexes the mount list; anything else is a regular
 * expression searched in each mount's source (its destination for mount.source[…]).
 */
function mountField(of: (m: Mount) => string, searchDest: boolean): ExtractorFactory {
  return (ref: FieldRef): Extractor => {
    const arg = ref.arg ?? '';
    const index = /^(0|[1-9][0-9]*)$/.test(arg) ? Number(arg) : undefined;
    let re: RegExp | undefined;
    if (index === undefined) {
      try {
        re = new RegExp(arg);
      } catch {
        return noValue;
      }
    }
    return recordField(undefined, (rec) => {
      const ms = mountsOf(rec);
      const m = index !== undefined ? ms[index] : ms.find((x) => re!.test(searchDest ? x.dest : x.source));
      return m ? of(m) : undefined;
    })(ref, 'filter');
  };
}

/** `k:v, k2:v2` sorted by key, Kubernetes-internal keys left out, `k` alone for an empty value. */
function labelsText(labels: ReadonlyMap<string, string>): string {
  return [...labels.keys()]
    .filter((k) => !k.startsWith('annotation.') && !k.startsWith('io.kubernetes.'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => (labels.get(k) === '' ? k : `${k}:${labels.get(k)!}`))
    .join(', ');
}

const label = (key: string) => recordField(undefined, (rec) => stringMap(rec, 'labels').get(key));

/** The record pod fields read: the container's own when it has CNI data, else its sandbox's. */
function podSource(rec: ContainerJson, ctx: EventContext): ContainerJson | 'host' | undefined {
  if (str(rec, 'cni_json') !== '') return rec;
  const sandbox = str(rec, 'pod_sandbox_id').slice(0, 12);
  if (sandbox === '') return 'host';
  return ctx.state.containers.get(sandbox)?.json;
}

function podField(host: Extracted, of: (src: ContainerJson) => Extracted): ExtractorFactory {
  return recordField(host, (rec, ctx) => {
    const src = podSource(rec, ctx);
    return src === 'host' ? host : src ? of(src) : undefined;
  });
}

const startTs: Extractor = (ctx) => {
  const t = ctx.state.tinfo;
  return t && t.pidnsInitStartTs !== 0n ? t.pidnsInitStartTs : undefined;
};

export const CONTAINER_FIELDS: Readonly<Record<string, ExtractorFactory>> = {
  'container.id': () => (ctx) => {
    const c = eventContainer(ctx);
    return c ? (c.kind === 'host' ? 'host' : c.id) : undefined;
  },
  'container.full_id': textField('full_id', 'host'),
  'container.name': textField('name', 'host'),
  'container.image': textField('image'),
  'container.image.id': textField('imageid'),
  'container.type': recordField('host', (rec) => TYPE_NAMES[typeof rec['type'] === 'number' ? rec['type'] : 65535] ?? ''),
  'container.privileged': boolField('privileged'),
  'container.mounts': recordField('', (rec) => mountsOf(rec).map(mountText).join(',')),
  'container.mount': mountField(mountText, false),
  'container.mount.source': mountField((m) => m.source, true),
  'container.mount.dest': mountField((m) => m.dest, false),
  'container.mount.mode': mountField((m) => m.mode, false),
  'container.mount.rdwr': mountField((m) => String(m.rw), false),
  'container.mount.propagation': mountField((m) => m.propagation, false),
  'container.image.repository': textField('imagerepo'),
  'container.image.tag': textField('imagetag'),
  'container.image.digest': textField('imagedigest'),
  'container.healthcheck': () => noValue,
  'container.liveness_probe': () => noValue,
  'container.readiness_probe': () => noValue,
  // From the pid namespace start, whatever is known about the container.
  'container.start_ts': () => startTs,
  'container.duration': () => (ctx) => {
    const s = startTs(ctx);
    return s === undefined ? undefined : BigInt.asUintN(64, ctx.view.ts - (s as bigint));
  },
  'container.ip': textField('ip'),
  'container.cni.json': textField('cni_json'),
  'container.host_pid': boolField('host_pid'),
  'container.host_network': boolField('host_network'),
  'container.host_ipc': boolField('host_ipc'),
  'container.label': (ref, mode) => recordField(undefined, (rec) => stringMap(rec, 'labels').get(ref.arg ?? ''))(ref, mode),
  'container.labels': recordField('', (rec) => labelsText(stringMap(rec, 'labels'))),
  'proc.is_container_healthcheck': () => noValue,
  'proc.is_container_liveness_probe': () => noValue,
  'proc.is_container_readiness_probe': () => noValue,
  'k8s.pod.name': label('io.kubernetes.pod.name'),
  'k8s.ns.name': label('io.kubernetes.pod.namespace'),
  'k8s.pod.id': label('io.kubernetes.pod.uid'),
  'k8s.pod.uid': label('io.kubernetes.pod.uid'),
  'k8s.pod.sandbox_id': recordField('', (rec) => str(rec, 'pod_sandbox_id').slice(0, 12)),
  'k8s.pod.full_sandbox_id': textField('pod_sandbox_id'),
  'k8s.pod.label': (ref, mode) => {
    const key = ref.arg ?? '';
    return recordField(undefined, (rec, ctx) => {
      const src = podSource(rec, ctx);
      if (src === 'host') return undefined;
      return (src ? stringMap(src, 'pod_sandbox_labels').get(key) : undefined) ?? stringMap(rec, 'pod_sandbox_labels').get(key);
    })(ref, mode);
  },
  'k8s.pod.labels': recordField('', (rec, ctx) => {
    const src = podSource(rec, ctx);
    return src === 'host' ? '' : labelsText(stringMap(src ?? rec, 'pod_sandbox_labels'));
  }),
  'k8s.pod.ip': podField('', (src) => str(src, 'ip')),
  'k8s.pod.cni.json': podField('', (src) => str(src, 'cni_json')),
};

// Fields of orchestrator objects the container plugin no longer fills.
for (const kind of ['rc', 'svc', 'rs', 'deployment']) {
  for (const f of ['name', 'id', 'label', 'labels']) (CONTAINER_FIELDS as Record<string, ExtractorFactory>)[`k8s.${kind}.${f}`] = () => noValue;
}
for (const f of ['id', 'label', 'labels']) (CONTAINER_FIELDS as Record<string, ExtractorFactory>)[`k8s.ns.${f}`] = () => noValue;
