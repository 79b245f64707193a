// k8saudit plugin fields (ka.*), as the plugin (0.18.0, pkg/k8saudit/extract.go) extracts them
// from a Kubernetes audit event: values are the JSON members' text (compact JSON for non-string
// values); a missing member is no value; an empty list is no value (libsinsp drops a result of
// length 0). Upstream quirks are kept and noted where they are.
import type { FieldRef } from '../../extract/context.ts';
import type { Extracted } from '../../operators/values.ts';
import { utf8Bytes, type JsonNode } from '../json-doc.ts';
import { PluginExtractError, type PluginExtractor, type PluginFieldFactory } from '../plugin-event.ts';
import { asText, auditEvent, child, EVERY, getPath, valuesAlong, wrongType } from './audit-walk.ts';
import { UriError, uriQuery, type UriQuery } from './uri-query.ts';

type Read = (doc: JsonNode) => Extracted;

/** An extractor of audit events (payloads without an auditID have no value for any field). */
function onAudit(read: Read): PluginExtractor {
  return (ev) => {
    const doc = auditEvent(ev);
    return doc === undefined ? undefined : read(doc);
  };
}

const bytesOf = (node: JsonNode): string => utf8Bytes(asText(node));

/** A list result: none when empty (Falco sees no value). */
const listOf = (values: string[]): Extracted => (values.length === 0 ? undefined : values);

/** The index filter of a reference: with [N], element N of every array on the way. */
const indexOf = (ref: FieldRef): number => (ref.arg === undefined ? EVERY : (ref.argIndex ?? 0));

/** arrayAsStringsSkipNil: the values found, missing ones left out. */
function textsFound(vals: readonly (JsonNode | null)[]): string[] {
  const out: string[] = [];
  for (const v of vals) if (v !== null) out.push(bytesOf(v));
  return out;
}

/** arrayAsStrings: a missing value fails the extraction. */
function textsAll(vals: readonly (JsonNode | null)[]): string[] {
  return vals.map((v) => {
    if (v === null) throw wrongType();
    return bytesOf(v);
  });
}

/** extractFromKeys, single value. */
const scalarAt =
  (...keys: string[]): PluginFieldFactory =>
  () =>
    onAudit((doc) => {
      const v = getPath(doc, keys);
      return v === undefined ? undefined : bytesOf(v);
    });

/** extractFromKeys, list field: the member must be an array; each element is a value. */
const listAt =
  (...keys: string[]): PluginFieldFactory =>
  () =>
    onAudit((doc) => {
      const v = getPath(doc, keys);
      if (v === undefined) return undefined;
      if (v.k !== 'arr') throw wrongType();
      return listOf(v.items.map(bytesOf));
    });

/** getValuesRecursive along requestObject.<keys> (the [N] argument indexing), values found. */
const foundAlong =
  (...keys: string[]): PluginFieldFactory =>
  (ref) => {
    const index = indexOf(ref);
    const path = ['requestObject', ...keys];
    return onAudit((doc) => {
      const vals = valuesAlong(doc, index, path);
      return vals === undefined ? undefined : listOf(textsFound(vals));
    });
  };

/**
 * extractRulesField: requestObject.rules[].<key>, each array found contributing its elements.
 * ka.sourceips goes through here too (upstream reads requestObject.rules[].sourceIPs, not the
 * event's sourceIPs, so it has no value for ordinary events).
 */
const ruleMembers =
  (key: string): PluginFieldFactory =>
  (ref) => {
    const index = indexOf(ref);
    const path = ['requestObject', 'rules', key];
    return onAudit((doc) => {
      const vals = valuesAlong(doc, index, path);
      if (vals === undefined) return undefined;
      const out: string[] = [];
      for (const v of vals) if (v !== null && v.k === 'arr') for (const item of v.items) out.push(bytesOf(item));
      return listOf(out);
    });
  };

/** readSubjectNamesByKind: names of the binding's subjects of one kind (`ns:name` for namespaced). */
const subjectNames =
  (kind: string, namespaced = false): PluginFieldFactory =>
  () =>
    onAudit((doc) => {
      const subjects = getPath(doc, ['requestObject', 'subjects']);
      if (subjects === undefined) return undefined;
      if (subjects.k !== 'arr') throw wrongType();
      const out: string[] = [];
      for (const subject of subjects.items) {
        const k = child(subject, 'kind');
        const name = child(subject, 'name');
        if (k === undefined || name === undefined || asText(k) !== kind) continue;
        if (!namespaced) out.push(bytesOf(name));
        else {
          const ns = child(subject, 'namespace');
          if (ns !== undefined) out.push(utf8Bytes(asText(ns) + ':' + asText(name)));
        }
      }
      return listOf(out);
    });

/** fastjson's GetStringBytes as text: a string member's value, "" for anything else. */
const stringOr = (node: JsonNode | undefined): string => (node?.k === 'str' ? node.v : '');

/** The repository part of an image: cut at the first ':' then at the first '@' (upstream's split). */
const repository = (image: string): string => image.split(':')[0]!.split('@')[0]!;

// ka.req.pod.<list>.<field>: the same readers for spec.containers, initContainers and
// ephemeralContainers.
type ContainerRead = (doc: JsonNode, list: string, index: number) => Extracted;

const containerValues = (doc: JsonNode, list: string, index: number, keys: readonly string[]) =>
  valuesAlong(doc, index, ['requestObject', 'spec', list, ...keys]);

/** Images of the containers; a container without one fails the extraction. */
function images(doc: JsonNode, list: string, index: number): string[] | undefined {
  const vals = containerValues(doc, list, index, ['image']);
  return vals === undefined ? undefined : textsAll(vals);
}

/** A per-container member (a missing one skipped). An array (capabilities.add) is one value: its compact JSON. */
const memberOfEach =
  (...keys: string[]): ContainerRead =>
  (doc, list, index) => {
    const vals = containerValues(doc, list, index, keys);
    return vals === undefined ? undefined : listOf(textsFound(vals));
  };

/** command/args: each container's string array joined with spaces; a non-string fails. */
const joinedOfEach =
  (key: string): ContainerRead =>
  (doc, list, index) => {
    const vals = containerValues(doc, list, index, [key]);
    if (vals === undefined) return undefined;
    const out: string[] = [];
    for (const v of vals) {
      if (v === null) continue;
      if (v.k !== 'arr') throw wrongType();
      out.push(
        utf8Bytes(
          v.items
            .map((item) => {
              if (item.k !== 'str') throw wrongType();
              return item.v;
            })
            .join(' '),
        ),
      );
    }
    return listOf(out);
  };

/** host_port: each port's hostPort, else its containerPort (equal under hostNetwork). */
const hostPorts: ContainerRead = (doc, list, index) => {
  const vals = containerValues(doc, list, index, ['ports']);
  if (vals === undefined) return undefined;
  const out: string[] = [];
  for (const ports of vals) {
    if (ports === null) continue;
    if (ports.k !== 'arr') throw wrongType();
    for (const port of ports.items) {
      const p = child(port, 'hostPort') ?? child(port, 'containerPort');
      if (p !== undefined) out.push(bytesOf(p));
    }
  }
  return listOf(out);
};

/**
 * eff_run_as_user/group (readFromContainerEffectively). Upstream reads the pod default from
 * requestObject.spec.<key> and each container's from <container>.<key>, not from the
 * securityContexts, so in real pods every container gets "0"; kept as is.
 */
const effective =
  (key: string): ContainerRead =>
  (doc, list, index) => {
    const pod = getPath(doc, ['requestObject', 'spec', key]);
    const fallback = pod === undefined ? '0' : bytesOf(pod);
    const vals = containerValues(doc, list, index, [key]);
    return vals === undefined ? undefined : listOf(vals.map((v) => (v === null ? fallback : bytesOf(v))));
  };

const CONTAINER_FIELDS: Readonly<Record<string, ContainerRead>> = {
  args: joinedOfEach('args'),
  command: joinedOfEach('command'),
  name: (doc, list, index) => {
    const vals = containerValues(doc, list, index, ['name']);
    return vals === undefined ? undefined : listOf(textsAll(vals));
  },
  image: (doc, list, index) => {
    const all = images(doc, list, index);
    return all === undefined ? undefined : listOf(all);
  },
  'image.repository': (doc, list, index) => {
    const all = images(doc, list, index);
    return all === undefined ? undefined : listOf(all.map(repository));
  },
  host_port: hostPorts,
  privileged: memberOfEach('securityContext', 'privileged'),
  allow_privilege_escalation: memberOfEach('securityContext', 'allowPrivilegeEscalation'),
  read_only_fs: memberOfEach('securityContext', 'readOnlyRootFilesystem'),
  run_as_user: memberOfEach('securityContext', 'runAsUser'),
  eff_run_as_user: effective('runAsUser'),
  run_as_group: memberOfEach('securityContext', 'runAsGroup'),
  eff_run_as_group: effective('runAsGroup'),
  proc_mount: memberOfEach('securityContext', 'procMount'),
  add_capabilities: memberOfEach('securityContext', 'capabilities', 'add'),
};

function containerFields(): Record<string, PluginFieldFactory> {
  const out: Record<string, PluginFieldFactory> = {};
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const [name, read] of Object.entries(CONTAINER_FIELDS)) {
      // The plugin declares no ephemeralContainers.host_port (ephemeral containers have no ports).
      if (list === 'ephemeralContainers' && name === 'host_port') continue;
      out[`ka.req.pod.${list}.${name}`] = (ref) => {
        const index = indexOf(ref);
        return onAudit((doc) => read(doc, list, index));
      };
    }
  }
  return out;
}

// The parsed query of a requestURI node, shared by every ka.uri.param[...] of the event.
const queries = new WeakMap<JsonNode, UriQuery | UriError>();

function queryOf(uri: JsonNode): UriQuery {
  let q = queries.get(uri);
  if (q === undefined) {
    try {
      q = uriQuery(utf8Bytes(asText(uri)));
    } catch (e) {
      if (!(e instanceof UriError)) throw e;
      q = e;
    }
    queries.set(uri, q);
  }
  if (q instanceof UriError) throw new PluginExtractError(q.message);
  return q;
}

export const K8S_AUDIT_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {
  'ka.auditid': scalarAt('auditID'),
  'ka.stage': scalarAt('stage'),
  'ka.auth.decision': scalarAt('annotations', 'authorization.k8s.io/decision'),
  'ka.auth.reason': scalarAt('annotations', 'authorization.k8s.io/reason'),
  'ka.auth.openshift.decision': scalarAt('annotations', 'authentication.openshift.io/decision'),
  'ka.validations.admission.policy.failure': scalarAt('annotations', 'validation.policy.admission.k8s.io/validation_failure'),
  'ka.security.pod.violations': scalarAt('annotations', 'pod-security.kubernetes.io/audit-violations'),
  'ka.auth.openshift.username': scalarAt('annotations', 'authentication.openshift.io/username'),
  'ka.user.name': scalarAt('user', 'username'),
  'ka.user.groups': listAt('user', 'groups'),
  'ka.impuser.name': scalarAt('impersonatedUser', 'username'),
  'ka.verb': scalarAt('verb'),
  'ka.uri': scalarAt('requestURI'),
  'ka.uri.param': (ref) => {
    const key = utf8Bytes(ref.arg ?? '');
    return onAudit((doc) => {
      const uri = child(doc, 'requestURI');
      return uri === undefined ? undefined : queryOf(uri).get(key)?.[0];
    });
  },
  'ka.target.name': scalarAt('objectRef', 'name'),
  'ka.target.namespace': scalarAt('objectRef', 'namespace'),
  'ka.target.resource': scalarAt('objectRef', 'resource'),
  'ka.target.subresource': scalarAt('objectRef', 'subresource'),
  // Only for pods without a subresource, and then the response object's name.
  'ka.target.pod.name': () =>
    onAudit((doc) => {
      const ref = child(doc, 'objectRef');
      if (stringOr(child(ref, 'resource')) !== 'pods' || stringOr(child(ref, 'subresource')) !== '') return undefined;
      const name = getPath(doc, ['responseObject', 'metadata', 'name']);
      return name === undefined ? undefined : bytesOf(name);
    }),
  'ka.req.binding.subjects': listAt('requestObject', 'subjects'),
  'ka.req.binding.subjects.user_names': subjectNames('User'),
  'ka.req.binding.subjects.serviceaccount_names': subjectNames('ServiceAccount'),
  'ka.req.binding.subjects.serviceaccount_ns_names': subjectNames('ServiceAccount', true),
  'ka.req.binding.subjects.group_names': subjectNames('Group'),
  'ka.req.binding.role': scalarAt('requestObject', 'roleRef', 'name'),
  // Documented as always "N/A", but the plugin sets "true" (as the legacy implementation did).
  'ka.req.binding.subject.has_name': () => onAudit(() => 'true'),
  'ka.req.configmap.name': scalarAt('objectRef', 'name'),
  'ka.req.configmap.obj': scalarAt('requestObject', 'data'),
  ...containerFields(),
  'ka.req.container.image': () =>
    onAudit((doc) => {
      const all = images(doc, 'containers', 0);
      return all?.[0];
    }),
  'ka.req.container.image.repository': () =>
    onAudit((doc) => {
      const first = images(doc, 'containers', 0)?.[0];
      return first === undefined ? undefined : repository(first);
    }),
  'ka.req.pod.host_ipc': scalarAt('requestObject', 'spec', 'hostIPC'),
  'ka.req.pod.host_network': scalarAt('requestObject', 'spec', 'hostNetwork'),
  'ka.req.container.host_network': scalarAt('requestObject', 'spec', 'hostNetwork'),
  'ka.req.pod.host_pid': scalarAt('requestObject', 'spec', 'hostPID'),
  // "true" when any container's securityContext.privileged is JSON true, else "false".
  'ka.req.container.privileged': () =>
    onAudit((doc) => {
      const vals = containerValues(doc, 'containers', EVERY, ['securityContext', 'privileged']);
      if (vals === undefined) return undefined;
      return vals.some((v) => v?.k === 'bool' && v.v) ? 'true' : 'false';
    }),
  'ka.req.pod.run_as_user': scalarAt('requestObject', 'spec', 'securityContext', 'runAsUser'),
  'ka.req.pod.run_as_group': scalarAt('requestObject', 'spec', 'securityContext', 'runAsGroup'),
  'ka.req.role.rules': listAt('requestObject', 'rules'),
  'ka.req.role.rules.apiGroups': ruleMembers('apiGroups'),
  'ka.req.role.rules.nonResourceURLs': ruleMembers('nonResourceURLs'),
  'ka.req.role.rules.verbs': ruleMembers('verbs'),
  'ka.req.role.rules.resources': ruleMembers('resources'),
  'ka.req.pod.fs_group': scalarAt('requestObject', 'spec', 'securityContext', 'fsGroup'),
  'ka.req.pod.supplemental_groups': listAt('requestObject', 'spec', 'securityContext', 'supplementalGroups'),
  'ka.req.service.type': scalarAt('requestObject', 'spec', 'type'),
  // The walk stops at `ports` itself, so the value is the compact JSON of the whole ports array
  // (one value, also with [N]).
  'ka.req.service.ports': foundAlong('spec', 'ports'),
  'ka.req.pod.volumes.hostpath': foundAlong('spec', 'volumes', 'hostPath', 'path'),
  // "true" if a volume's hostPath.path equals the key, or starts with it when the key ends in
  // '*'. A key argument reaches the plugin with index 0, so only the first volume is looked at.
  'ka.req.volume.hostpath': (ref) => {
    const arg = utf8Bytes(ref.arg ?? '');
    const prefix = arg.endsWith('*') ? arg.slice(0, -1) : undefined;
    const index = ref.arg === undefined ? EVERY : 0;
    return onAudit((doc) => {
      const vals = valuesAlong(doc, index, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']);
      if (vals === undefined) return undefined;
      // Upstream slices the key's last byte off unconditionally: an empty key panics there.
      if (arg === '') throw new PluginExtractError('ka.req.volume.hostpath needs a non-empty key');
      return textsFound(vals).some((v) => v === arg || (prefix !== undefined && v.startsWith(prefix))) ? 'true' : 'false';
    });
  },
  'ka.req.pod.volumes.flexvolume_driver': foundAlong('spec', 'volumes', 'flexVolume', 'driver'),
  // The member names of each volume object other than "name" (e.g. hostPath, configMap).
  'ka.req.pod.volumes.volume_type': (ref) => {
    const index = indexOf(ref);
    return onAudit((doc) => {
      const vals = valuesAlong(doc, index, ['requestObject', 'spec', 'volumes', '']);
      if (vals === undefined) return undefined;
      const out: string[] = [];
      for (const v of vals) if (v?.k === 'obj') for (const key of v.keys) if (key !== 'name') out.push(utf8Bytes(key));
      return listOf(out);
    });
  },
  'ka.resp.name': scalarAt('responseObject', 'metadata', 'name'),
  'ka.response.code': scalarAt('responseStatus', 'code'),
  'ka.response.reason': scalarAt('responseStatus', 'reason'),
  'ka.useragent': scalarAt('userAgent'),
  'ka.sourceips': ruleMembers('sourceIPs'),
  // The plugin reads annotations.cluster_name (set by the eks/gke-style sources); no config.
  'ka.cluster.name': scalarAt('annotations', 'cluster_name'),
};
