// k8saudit field extraction beyond the shared cases: the pod container families, bindings,
// volumes, rules, the URI query, events that are not audit events, upstream quirks kept on
// purpose, and the source's event time and evt.plugininfo.
import { describe, expect, it } from 'vitest';
import { PLUGIN_FIELDS } from '../../../runtime/fields/plugin-fields.ts';
import { parseJson } from '../../../runtime/sources/json-doc.ts';
import { PluginExtractError, type PluginEvent } from '../../../runtime/sources/plugin-event.ts';
import { K8S_AUDIT_FIELDS } from '../../../runtime/sources/k8s-audit/fields.ts';
import { K8S_AUDIT_SOURCE } from '../../../runtime/sources/k8s-audit/source.ts';
import { parseRfc3339Nano } from '../../../runtime/sources/rfc3339.ts';
import type { Extracted } from '../../../runtime/operators/values.ts';
import { fieldExtractor, pluginEvent } from './plugin-fixture.ts';

const CATALOG = PLUGIN_FIELDS.find((p) => p.plugin === 'k8saudit')!.fields;

const eventOf = (payload: unknown): PluginEvent => pluginEvent('k8s_audit', payload);

const extract = (field: string, payload: unknown, arg?: string): Extracted => fieldExtractor('k8saudit', K8S_AUDIT_FIELDS, field, arg)(eventOf(payload));

/** An audit event whose requestObject is `requestObject`. */
const audit = (requestObject: unknown, extra: Record<string, unknown> = {}) => ({ auditID: 'a', requestObject, ...extra });

const pod = audit({
  kind: 'Pod',
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.local:5000/team/app:1.2',
        command: ['sh', '-c'],
        args: ['sleep', '10'],
        ports: [{ containerPort: 8080 }, { containerPort: 53, hostPort: 5353 }],
        securityContext: { privileged: false, capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] }, runAsUser: 1000, procMount: 'Unmasked' },
      },
      { name: 'side', image: 'busybox', securityContext: { allowPrivilegeEscalation: true, readOnlyRootFilesystem: true } },
    ],
    initContainers: [{ name: 'init', image: 'alpine:3', securityContext: { privileged: true } }],
    ephemeralContainers: [{ name: 'debug', image: 'nicolaka/netshoot@sha256:abc', command: ['bash'] }],
    volumes: [
      { name: 'data', hostPath: { path: '/var/lib/data', type: 'Directory' } },
      { name: 'root', hostPath: { path: '/' } },
      { name: 'cfg', configMap: { name: 'cfg' } },
      { name: 'flex', flexVolume: { driver: 'example/lvm' } },
    ],
  },
});

describe('k8saudit fields: the catalog', () => {
  it('has an extractor for every catalog field and none besides', () => {
    expect(Object.keys(K8S_AUDIT_FIELDS).sort()).toEqual(CATALOG.map((f) => f.name).sort());
    expect(CATALOG).toHaveLength(100);
  });
});

describe('k8saudit fields: events', () => {
  it('a JSON document without auditID is not an audit event: no value, even for constant fields', () => {
    expect(extract('ka.verb', { verb: 'get' })).toBeUndefined();
    expect(extract('ka.req.binding.subject.has_name', { verb: 'get' }, 'x')).toBeUndefined();
    expect(extract('ka.verb', [{ auditID: 'a', verb: 'get' }])).toBeUndefined();
  });
  it('a payload that is not JSON, or not an object or array, fails the extraction', () => {
    expect(() => extract('ka.verb', 'not json')).toThrow(PluginExtractError);
    // (falcoc's readers hand events over as parsed documents: no leading whitespace to judge.)
    expect(() => extract('ka.verb', '"a string"')).toThrow(PluginExtractError);
    expect(() => extract('ka.verb', '42')).toThrow(PluginExtractError);
    expect(() => extract('ka.verb', '{"auditID":')).toThrow(PluginExtractError);
    expect(() => extract('ka.verb', '')).toThrow(PluginExtractError);
  });
  it('non-string members are their compact JSON text; non-ASCII text is UTF-8 bytes', () => {
    const ev = { auditID: 'a', responseStatus: { code: 403, reason: 'Forbidden' }, user: { username: 'jörg' } };
    expect(extract('ka.response.code', ev)).toBe('403');
    expect(extract('ka.user.name', ev)).toBe(Buffer.from('jörg', 'utf8').toString('latin1'));
    expect(extract('ka.req.pod.host_ipc', audit({ spec: { hostIPC: false } }))).toBe('false');
    expect(extract('ka.req.pod.supplemental_groups', audit({ spec: { securityContext: { supplementalGroups: [1, 2] } } }))).toEqual(['1', '2']);
  });
  it('a list field over a non-array fails; over an empty array has no value', () => {
    expect(() => extract('ka.user.groups', { auditID: 'a', user: { groups: 'admins' } })).toThrow(PluginExtractError);
    expect(extract('ka.user.groups', { auditID: 'a', user: { groups: [] } })).toBeUndefined();
  });
  it('a named member of an array is nothing (fastjson takes only decimal keys there)', () => {
    expect(extract('ka.req.pod.host_pid', audit([{ spec: { hostPID: true } }]))).toBeUndefined();
  });
  it('annotation fields and the cluster name (annotations.cluster_name)', () => {
    const ev = {
      auditID: 'a',
      annotations: {
        'authentication.openshift.io/decision': 'allow',
        'authentication.openshift.io/username': 'kube:admin',
        'validation.policy.admission.k8s.io/validation_failure': '[{"message":"no"}]',
        'pod-security.kubernetes.io/audit-violations': 'privileged',
        cluster_name: 'prod-eu',
      },
    };
    expect(extract('ka.auth.openshift.decision', ev)).toBe('allow');
    expect(extract('ka.auth.openshift.username', ev)).toBe('kube:admin');
    expect(extract('ka.validations.admission.policy.failure', ev)).toBe('[{"message":"no"}]');
    expect(extract('ka.security.pod.violations', ev)).toBe('privileged');
    expect(extract('ka.cluster.name', ev)).toBe('prod-eu');
    expect(extract('ka.cluster.name', { auditID: 'a' })).toBeUndefined();
  });
});

describe('k8saudit fields: pod containers', () => {
  it('each container list is read on its own', () => {
    expect(extract('ka.req.pod.containers.name', pod)).toEqual(['app', 'side']);
    expect(extract('ka.req.pod.initContainers.name', pod)).toEqual(['init']);
    expect(extract('ka.req.pod.ephemeralContainers.name', pod)).toEqual(['debug']);
    expect(extract('ka.req.pod.containers.privileged', pod)).toEqual(['false']);
    expect(extract('ka.req.pod.initContainers.privileged', pod)).toEqual(['true']);
    expect(extract('ka.req.pod.ephemeralContainers.privileged', pod)).toBeUndefined();
  });
  it('[N] selects one container; out of range is no value', () => {
    expect(extract('ka.req.pod.containers.image', pod, '1')).toEqual(['busybox']);
    expect(extract('ka.req.pod.containers.image', pod, '2')).toBeUndefined();
    expect(extract('ka.req.pod.containers.allow_privilege_escalation', pod, '1')).toEqual(['true']);
    expect(extract('ka.req.pod.containers.allow_privilege_escalation', pod, '0')).toBeUndefined();
  });
  it('image repositories are cut at the first ":" then the first "@" (a registry port included)', () => {
    expect(extract('ka.req.pod.containers.image.repository', pod)).toEqual(['registry.local', 'busybox']);
    expect(extract('ka.req.pod.ephemeralContainers.image.repository', pod)).toEqual(['nicolaka/netshoot']);
    expect(extract('ka.req.container.image', pod)).toBe('registry.local:5000/team/app:1.2');
    expect(extract('ka.req.container.image.repository', pod)).toBe('registry.local');
  });
  it('a container without a name or image fails the list extraction', () => {
    const ev = audit({ spec: { containers: [{ name: 'a', image: 'x' }, {}] } });
    expect(() => extract('ka.req.pod.containers.name', ev)).toThrow(PluginExtractError);
    expect(() => extract('ka.req.pod.containers.image', ev)).toThrow(PluginExtractError);
    expect(extract('ka.req.pod.containers.image', ev, '0')).toEqual(['x']);
  });
  it("command and args: each container's array joined with spaces; containers without skipped", () => {
    expect(extract('ka.req.pod.containers.command', pod)).toEqual(['sh -c']);
    expect(extract('ka.req.pod.containers.args', pod)).toEqual(['sleep 10']);
    expect(extract('ka.req.pod.ephemeralContainers.command', pod)).toEqual(['bash']);
    expect(extract('ka.req.pod.initContainers.args', pod)).toBeUndefined();
    expect(() => extract('ka.req.pod.containers.command', audit({ spec: { containers: [{ command: ['a', 1] }] } }))).toThrow(PluginExtractError);
  });
  it('host_port: hostPort, else containerPort, over every port of every container', () => {
    expect(extract('ka.req.pod.containers.host_port', pod)).toEqual(['8080', '5353']);
    expect(extract('ka.req.pod.initContainers.host_port', pod)).toBeUndefined();
  });
  it("add_capabilities gives each container's add list as one compact JSON value", () => {
    expect(extract('ka.req.pod.containers.add_capabilities', pod)).toEqual(['["NET_ADMIN","SYS_TIME"]']);
  });
  it('securityContext members per container', () => {
    expect(extract('ka.req.pod.containers.run_as_user', pod)).toEqual(['1000']);
    expect(extract('ka.req.pod.containers.read_only_fs', pod)).toEqual(['true']);
    expect(extract('ka.req.pod.containers.proc_mount', pod)).toEqual(['Unmasked']);
  });
  it('eff_run_as_user reads spec.runAsUser and <container>.runAsUser (upstream), defaulting to "0"', () => {
    expect(extract('ka.req.pod.containers.eff_run_as_user', pod)).toEqual(['0', '0']);
    const ev = audit({ spec: { runAsGroup: 7, containers: [{ runAsGroup: 3 }, {}] } });
    expect(extract('ka.req.pod.containers.eff_run_as_group', ev)).toEqual(['3', '7']);
    expect(extract('ka.req.pod.containers.eff_run_as_group', ev, '1')).toBeUndefined();
    expect(extract('ka.req.pod.containers.eff_run_as_group', audit({ spec: {} }))).toBeUndefined();
  });
  it('ka.req.container.privileged: whether any container is privileged', () => {
    expect(extract('ka.req.container.privileged', pod)).toBe('false');
    expect(extract('ka.req.container.privileged', audit({ spec: { containers: [{}, { securityContext: { privileged: true } }] } }))).toBe('true');
    expect(extract('ka.req.container.privileged', audit({ spec: { containers: [] } }))).toBe('false');
    expect(extract('ka.req.container.privileged', audit({ spec: {} }))).toBeUndefined();
  });
});

describe('k8saudit fields: volumes, services, roles, bindings', () => {
  it('volumes', () => {
    expect(extract('ka.req.pod.volumes.hostpath', pod)).toEqual(['/var/lib/data', '/']);
    expect(extract('ka.req.pod.volumes.hostpath', pod, '1')).toEqual(['/']);
    expect(extract('ka.req.pod.volumes.flexvolume_driver', pod)).toEqual(['example/lvm']);
    expect(extract('ka.req.pod.volumes.volume_type', pod)).toEqual(['hostPath', 'hostPath', 'configMap', 'flexVolume']);
    expect(extract('ka.req.pod.volumes.volume_type', pod, '2')).toEqual(['configMap']);
  });
  it('ka.req.volume.hostpath[path]: equality, or a prefix with a trailing *; only the first volume (key args reach the plugin as index 0)', () => {
    expect(extract('ka.req.volume.hostpath', pod, '/var/lib/data')).toBe('true');
    expect(extract('ka.req.volume.hostpath', pod, '/var/*')).toBe('true');
    expect(extract('ka.req.volume.hostpath', pod, '/etc*')).toBe('false');
    expect(extract('ka.req.volume.hostpath', pod, '/')).toBe('false');
    expect(extract('ka.req.volume.hostpath', audit({ spec: { volumes: [{ configMap: {} }] } }), '/')).toBeUndefined();
  });
  it('ka.req.service.ports is the ports array as one compact JSON value', () => {
    const svc = audit({ spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { port: 443 }] } });
    expect(extract('ka.req.service.ports', svc)).toEqual(['[{"port":80,"nodePort":30080},{"port":443}]']);
    expect(extract('ka.req.service.ports', svc, '1')).toEqual(['[{"port":80,"nodePort":30080},{"port":443}]']);
  });
  it('role rules: whole rules as JSON, and the members of each rule flattened', () => {
    const role = audit({
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get', 'create'] },
        { nonResourceURLs: ['/metrics'], verbs: ['*'] },
      ],
    });
    expect(extract('ka.req.role.rules', role)).toEqual([
      '{"apiGroups":[""],"resources":["pods","pods/exec"],"verbs":["get","create"]}',
      '{"nonResourceURLs":["/metrics"],"verbs":["*"]}',
    ]);
    expect(extract('ka.req.role.rules.verbs', role)).toEqual(['get', 'create', '*']);
    expect(extract('ka.req.role.rules.verbs', role, '1')).toEqual(['*']);
    expect(extract('ka.req.role.rules.resources', role)).toEqual(['pods', 'pods/exec']);
    expect(extract('ka.req.role.rules.apiGroups', role)).toEqual(['']);
    expect(extract('ka.req.role.rules.nonResourceURLs', role)).toEqual(['/metrics']);
  });
  it('ka.sourceips reads requestObject.rules[].sourceIPs (upstream), not the event sourceIPs', () => {
    expect(extract('ka.sourceips', { auditID: 'a', sourceIPs: ['10.0.0.1'] })).toBeUndefined();
    expect(extract('ka.sourceips', audit({ rules: [{ sourceIPs: ['10.0.0.2', '10.0.0.3'] }] }))).toEqual(['10.0.0.2', '10.0.0.3']);
  });
  it('binding subjects by kind', () => {
    const rb = audit({
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
        { kind: 'ServiceAccount', name: 'nons' },
        { kind: 'Group', name: 'devs' },
        { kind: 'User' },
      ],
      roleRef: { name: 'edit' },
    });
    expect(extract('ka.req.binding.subjects.user_names', rb)).toEqual(['alice']);
    expect(extract('ka.req.binding.subjects.serviceaccount_names', rb)).toEqual(['builder', 'nons']);
    expect(extract('ka.req.binding.subjects.serviceaccount_ns_names', rb)).toEqual(['ci:builder']);
    expect(extract('ka.req.binding.subjects.group_names', rb)).toEqual(['devs']);
    expect(extract('ka.req.binding.subjects', rb)).toHaveLength(5);
    expect(extract('ka.req.binding.subjects.user_names', audit({}))).toBeUndefined();
    expect(() => extract('ka.req.binding.subjects.user_names', audit({ subjects: {} }))).toThrow(PluginExtractError);
  });
  it('ka.req.binding.subject.has_name is "true" whatever the key (the plugin code; its doc says N/A)', () => {
    expect(extract('ka.req.binding.subject.has_name', audit({}), 'anyone')).toBe('true');
  });
  it('ka.resp.name and ka.target.pod.name', () => {
    const ev = { auditID: 'a', objectRef: { resource: 'pods', subresource: '' }, responseObject: { metadata: { name: 'p1' } } };
    expect(extract('ka.resp.name', ev)).toBe('p1');
    expect(extract('ka.target.pod.name', ev)).toBe('p1');
  });
});

describe('k8saudit fields: ka.uri.param', () => {
  const withUri = (uri: unknown) => ({ auditID: 'a', requestURI: uri });
  it('decodes escapes and +, gives the first of repeated values, an empty value, or none', () => {
    const ev = withUri('/api/v1/pods?labelSelector=app%3Dweb+tier&watch=&x=1&x=2#frag');
    expect(extract('ka.uri.param', ev, 'labelSelector')).toBe('app=web tier');
    expect(extract('ka.uri.param', ev, 'watch')).toBe('');
    expect(extract('ka.uri.param', ev, 'x')).toBe('1');
    expect(extract('ka.uri.param', ev, 'frag')).toBeUndefined();
    expect(extract('ka.uri.param', withUri('/api'), 'x')).toBeUndefined();
    expect(extract('ka.uri.param', { auditID: 'a' }, 'x')).toBeUndefined();
  });
  it('works on bytes: escaped UTF-8 decodes to its bytes', () => {
    expect(extract('ka.uri.param', withUri('/x?n=%C3%A9'), 'n')).toBe('\xc3\xa9');
    expect(extract('ka.uri.param', withUri('/x?%C3%A9=1'), 'é')).toBe('1');
  });
  it('fails where Go refuses the URI or the query', () => {
    expect(() => extract('ka.uri.param', withUri('/x?a=%zz'), 'a')).toThrow(PluginExtractError);
    expect(() => extract('ka.uri.param', withUri('/x?a=1;b=2'), 'a')).toThrow(PluginExtractError);
    expect(() => extract('ka.uri.param', withUri('/x%2?a=1'), 'a')).toThrow(PluginExtractError);
    expect(() => extract('ka.uri.param', withUri('a:b/c?a=1'), 'a')).not.toThrow();
    expect(() => extract('ka.uri.param', withUri('1a:b?a=1'), 'a')).toThrow(PluginExtractError);
    expect(() => extract('ka.uri.param', withUri(':x?a=1'), 'a')).toThrow(PluginExtractError);
    expect(() => extract('ka.uri.param', withUri('/x\n?a=1'), 'a')).toThrow(PluginExtractError);
    expect(() => extract('ka.uri.param', withUri('//host:port/x?a=1'), 'a')).toThrow(PluginExtractError);
  });
});

describe('k8s_audit source', () => {
  it('time is the stageTimestamp in ns', () => {
    const doc = parseJson('{"requestReceivedTimestamp":"2024-05-14T09:12:03.120331Z","stageTimestamp":"2024-05-14T09:12:03.161902Z"}');
    expect(K8S_AUDIT_SOURCE.time!(doc)).toBe(BigInt(Date.UTC(2024, 4, 14, 9, 12, 3)) * 1_000_000n + 161_902_000n);
    expect(K8S_AUDIT_SOURCE.time!(parseJson('{"stageTimestamp":"yesterday"}'))).toBeUndefined();
    expect(K8S_AUDIT_SOURCE.time!(parseJson('{"requestReceivedTimestamp":"2024-05-14T09:12:03Z"}'))).toBeUndefined();
  });
  it('RFC 3339 with any fraction and offsets', () => {
    const base = BigInt(Date.UTC(2023, 0, 1)) * 1_000_000n;
    expect(parseRfc3339Nano('2023-01-01T00:00:00Z')).toBe(base);
    expect(parseRfc3339Nano('2023-01-01T00:00:00.123456789123Z')).toBe(base + 123_456_789n);
    expect(parseRfc3339Nano('2023-01-01T01:30:00.5+01:30')).toBe(base + 500_000_000n);
    expect(parseRfc3339Nano('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339Nano('2023-01-01 00:00:00Z')).toBeUndefined();
  });
  it('evt.plugininfo is the payload (the plugin String())', () => {
    const ev = eventOf({ auditID: 'a' });
    expect(K8S_AUDIT_SOURCE.info!(ev)).toBe('{"auditID":"a"}');
  });
});
