// Events of the plugin sources (k8s_audit, aws_cloudtrail, okta, github, json) and how their
// fields are extracted: each source is one folder of runtime/sources with a PluginSourceDef —
// its field extractors, and how an event gives its time and evt.plugininfo text.
import type { FieldRef } from '../extract/context.ts';
import type { Extracted } from '../operators/values.ts';
import type { JsonNode } from './json-doc.ts';

export interface PluginEvent {
  /** evt.num: 1 for the first event of a run, per source. */
  num: number;
  /** Event time, ns since the epoch (the document's own time when it has one). */
  ts: bigint;
  /** The event source (`k8s_audit`, …). */
  source: string;
  /** The payload as received (decoded from UTF-8). */
  text: string;
  /** The payload parsed; undefined when it is not JSON (json fields then fail). */
  doc: JsonNode | undefined;
  /** Per-event memo a plugin's extractors may share (e.g. a decoded record); reset per event. */
  memo?: unknown;
}

/**
 * One field reference's extractor: a byte string (UTF-8, one char per byte) for CHARBUF, a
 * bigint for UINT64, an array for list fields, undefined when the plugin sets no value. Throws
 * PluginExtractError when the plugin's extraction fails (the json plugin on a non-JSON event).
 */
export type PluginExtractor = (ev: PluginEvent) => Extracted;
export type PluginFieldFactory = (ref: FieldRef) => PluginExtractor;

export class PluginExtractError extends Error {}

export interface PluginSourceDef {
  /** Event source name as rules write it. */
  source: string;
  /** Plugin name (evt.pluginname, required_plugin_versions). */
  plugin: string;
  /** Extractors by field name (the plugin's own fields; json.* and evt.* come from elsewhere). */
  fields: Readonly<Record<string, PluginFieldFactory>>;
  /** The event's own time (ns since the epoch), when the document carries one. */
  time?(doc: JsonNode): bigint | undefined;
  /** evt.plugininfo's text for the event. */
  info?(ev: PluginEvent): string | undefined;
}
