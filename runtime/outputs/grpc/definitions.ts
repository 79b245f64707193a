// The gRPC services' definitions, and alerts as falco.outputs.response messages.
//
// The .proto files beside this module are the one source of truth. From the source tree they
// are loaded as files; the esbuild bundle (compiler/cli/bundle.mjs) parses them at build time
// and inlines the result as __FALCOC_GRPC_PROTOS__, so the bundled CLI needs no file beside it.
import { priorityNumber } from '../../../compiler/load/reader.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromJSON, loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import type { Alert } from '../../format/alert.ts';
import { toSortedJson } from '../../format/render.ts';

declare const __FALCOC_GRPC_PROTOS__: Parameters<typeof fromJSON>[0] | undefined;

/** Field names exactly as the .proto files spell them (output_fields, source_deprecated). */
export const PROTO_OPTIONS: Options = { keepCase: true };

/** The directory of the .proto files in the source tree. */
export const PROTO_DIR = dirname(fileURLToPath(import.meta.url));
export const PROTO_FILES = ['outputs.proto', 'version.proto'];

export function grpcDefinitions(): PackageDefinition {
  if (typeof __FALCOC_GRPC_PROTOS__ !== 'undefined') return fromJSON(__FALCOC_GRPC_PROTOS__, PROTO_OPTIONS);
  return loadSync(PROTO_FILES.map((f) => join(PROTO_DIR, f)), { ...PROTO_OPTIONS, includeDirs: [PROTO_DIR] });
}

/** falco.schema.source numbers; Falco matches the source name against the enum's spellings and
 * files every other source (plugins) under PLUGIN. */
const SOURCE: Readonly<Record<string, number>> = {
  SYSCALL: 0, syscall: 0, Syscall: 0, K8S_AUDIT: 1, k8s_audit: 1, K8s_audit: 1, K8S_audit: 1, INTERNAL: 2, internal: 2, Internal: 2,
};
const PLUGIN_SOURCE = 3;

const NS = 1_000_000_000n;

/** falco.outputs.response as proto-loader serializes it (keepCase field names). */
export interface OutputsResponse {
  time: { seconds: number; nanos: number };
  priority: number;
  source_deprecated: number;
  rule: string;
  output: string;
  output_fields: Record<string, string>;
  hostname: string;
  tags: string[];
  source: string;
}

/** An alert as Falco's gRPC output sends it: `output` is the line the text outputs print (the
 * JSON object under json_output), and each output field's value is text: strings as they are,
 * anything else in its JSON spelling. Falco refuses list values there; falcoc sends their JSON. */
export function outputsResponse(text: string, a: Alert, timeField: string): OutputsResponse {
  const fields: Record<string, string> = {};
  for (const k in a.outputFields) {
    const v = a.outputFields[k]!;
    fields[k] = typeof v === 'string' ? v : toSortedJson(v);
  }
  // The time prefix of the line is a format field too (as in the JSON output's output_fields).
  fields[timeField] = a.time.toString();
  return {
    time: { seconds: Number(a.time / NS), nanos: Number(a.time % NS) },
    // Rule priorities are checked when rules load, so the lookup cannot miss.
    priority: priorityNumber(a.priority) ?? 0,
    source_deprecated: SOURCE[a.source] ?? PLUGIN_SOURCE,
    rule: a.rule,
    output: text.endsWith('\n') ? text.slice(0, -1) : text,
    output_fields: fields,
    hostname: a.hostname,
    tags: [...a.tags],
    source: a.source,
  };
}

/** falco.version.response for `version` (semver: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]). */
export function versionResponse(version: string, engineVersion: string): Record<string, string | number> {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(version);
  const engineMinor = Number(/^\d+\.(\d+)\./.exec(engineVersion)?.[1] ?? 0);
  return {
    version,
    major: Number(m?.[1] ?? 0),
    minor: Number(m?.[2] ?? 0),
    patch: Number(m?.[3] ?? 0),
    prerelease: m?.[4] ?? '',
    build: m?.[5] ?? '',
    engine_version: engineMinor,
    engine_fields_checksum: '',
  };
}
