import { describe, expect, it } from 'vitest';
import { Harness } from './harness.ts';

const record = {
  id: 'abcdef123456', full_id: 'abcdef1234567890', name: 'web', image: 'nginx:1.25', imageid: 'sha256:1', imagerepo: 'nginx',
  imagetag: '1.25', imagedigest: 'sha256:2', type: 0, privileged: true, ip: '172.17.0.2', cni_json: '', host_pid: false,
  host_network: true, host_ipc: false, pod_sandbox_id: '',
  labels: { 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'prod', app: 'web', tier: '', 'annotation.x': 'y' },
  Mounts: [
    { Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', Mode: '', RW: true, Propagation: 'rprivate' },
    { Source: '/data', Destination: '/srv', Mode: 'ro', RW: false, Propagation: '' },
  ],
};

describe('container fields', () => {
  it('reads host values for host threads (oracle: host / empty / <NA>)', () => {
    const h = new Harness();
    h.thread({ tid: 10 });
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 0 });
    expect(h.get('container.id')).toBe('host');
    expect(h.get('container.name')).toBe('host');
    expect(h.get('container.full_id')).toBe('host');
    expect(h.get('container.type')).toBe('host');
    expect(h.get('container.image.repository')).toBe('');
    expect(h.get('container.image.tag')).toBe('');
    expect(h.get('container.privileged')).toBe(false);
    expect(h.get('container.mounts')).toBe('');
    expect(h.get('container.mount.dest[/proc*]')).toBeUndefined();
    expect(h.get('container.labels')).toBe('');
    expect(h.get('container.start_ts')).toBeUndefined();
    expect(h.get('k8s.pod.name')).toBeUndefined();
    expect(h.get('k8s.ns.name')).toBeUndefined();
    expect(h.get('k8s.pod.labels')).toBe('');
    expect(h.get('k8s.pod.ip')).toBe('');
    expect(h.get('k8s.rc.name')).toBeUndefined();
  });

  it('gives a container nobody described only its id (oracle fake container)', () => {
    const h = new Harness();
    h.thread({ tid: 10, containerId: '4f8e2d1c9b7a', pidnsInitStartTs: 1_000n });
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 0 }, { ts: 5_000n });
    expect(h.get('container.id')).toBe('4f8e2d1c9b7a');
    expect(h.get('container.name')).toBeUndefined();
    expect(h.get('container.image.repository')).toBeUndefined();
    expect(h.get('container.privileged')).toBeUndefined();
    expect(h.get('container.start_ts')).toBe(1_000n);
    expect(h.get('container.duration')).toBe(4_000n);
    expect(h.get('k8s.pod.name')).toBeUndefined();
  });

  it('reads a recorded container', () => {
    const h = new Harness();
    h.state.containers.set('abcdef123456', { id: 'abcdef123456', json: record });
    h.thread({ tid: 10, containerId: 'abcdef123456' });
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 0 });
    expect(h.get('container.name')).toBe('web');
    expect(h.get('container.type')).toBe('docker');
    expect(h.get('container.image')).toBe('nginx:1.25');
    expect(h.get('container.privileged')).toBe(true);
    expect(h.get('container.host_network')).toBe(true);
    expect(h.get('container.ip')).toBe('172.17.0.2');
    expect(h.get('container.mounts')).toBe('/var/run/docker.sock:/var/run/docker.sock::true:rprivate,/data:/srv:ro:false:');
    expect(h.get('container.mount[1]')).toBe('/data:/srv:ro:false:');
    expect(h.get('container.mount[2]')).toBeUndefined();
    expect(h.get('container.mount.dest[/var/run/docker.sock]')).toBe('/var/run/docker.sock');
    expect(h.get('container.mount.source[/srv]')).toBe('/data');
    expect(h.get('container.mount.rdwr[/data]')).toBe('false');
    expect(h.get('container.label[app]')).toBe('web');
    expect(h.get('container.label[nope]')).toBeUndefined();
    expect(h.get('container.labels')).toBe('app:web, tier');
    expect(h.get('k8s.pod.name')).toBe('web-0');
    expect(h.get('k8s.ns.name')).toBe('prod');
    expect(h.get('k8s.pod.sandbox_id')).toBe('');
    expect(h.get('k8s.pod.ip')).toBe('');
  });

  it('reads the record a container event carries', () => {
    const h = new Harness();
    const json = JSON.stringify({ container: record }) + '\0';
    h.event('PPME_ASYNCEVENT_E', 0, { plugin_id: 0, name: 'container', data: Buffer.from(json, 'latin1') });
    expect(h.get('container.id')).toBe('abcdef123456');
    expect(h.get('container.name')).toBe('web');
  });

  it('has nothing without a thread', () => {
    const h = new Harness();
    h.event('PPME_SYSCALL_SETUID_X', 77, { res: 0, uid: 0 });
    expect(h.get('container.id')).toBeUndefined();
  });
});
