// What the reader produces from a rules file, item by item: the contract between load and
// resolve. Every item keeps its context (file, position, Falco's item chain).
import type { Context } from '../diagnostics.ts';
import type { YScalar } from './yaml-tree.ts';
import type { SourceFile } from './source-file.ts';

/** A condition or output as written, with what is needed to map positions back to the file. */
export interface SourceText {
  text: string;
  ctx: Context;
  file: SourceFile;
  node: YScalar;
}

export interface Semver {
  major: number;
  minor: number;
  patch: number;
}

/** An exception's fields/comps/values entry: a scalar or a (nested) list. */
export type ExceptionEntry = { isList: false; item: string } | { isList: true; items: ExceptionEntry[] };

export interface ExceptionInfo {
  name: string;
  fields?: ExceptionEntry;
  comps?: ExceptionEntry;
  values: ExceptionEntry[];
  /** `values` was present (an appended exception may leave it out). */
  hasValues: boolean;
  ctx: Context;
}

export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface EngineVersionItem {
  kind: 'required_engine_version';
  version: Semver;
  ctx: Context;
}

export interface PluginRequirement {
  name: string;
  version: string;
}

export interface PluginVersionsItem {
  kind: 'required_plugin_versions';
  /** Any one of these satisfies the requirement. */
  alternatives: PluginRequirement[];
  ctx: Context;
}

export interface ListItem {
  kind: 'list';
  /** define: (re)definition; append: legacy `append: true` or `override: {items: append}`. */
  action: 'define' | 'append';
  name: string;
  items: string[];
  ctx: Context;
}

export interface MacroItem {
  kind: 'macro';
  action: 'define' | 'append';
  name: string;
  condition: SourceText;
  ctx: Context;
}

export interface RuleFields {
  condition: SourceText;
  output: SourceText;
  desc: string;
  priority: Priority;
  source: string;
  enabled: boolean;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  capture: boolean;
  captureDuration: number;
  tags: string[];
  exceptions: ExceptionInfo[];
}

export interface RuleDefineItem extends RuleFields {
  kind: 'rule';
  action: 'define';
  name: string;
  ctx: Context;
}

/** Legacy `append: true`, `override: {k: append}` or `override: {k: replace}`. */
export interface RuleUpdateItem {
  kind: 'rule';
  action: 'append' | 'replace';
  name: string;
  /** Empty: same source as the rule it updates. */
  source: string;
  fields: Partial<RuleFields>;
  ctx: Context;
}

/** Legacy standalone `enabled:` item. */
export interface RuleEnableItem {
  kind: 'rule';
  action: 'enable';
  name: string;
  enabled: boolean;
  ctx: Context;
}

export type RuleItem = RuleDefineItem | RuleUpdateItem | RuleEnableItem;
export type LoadItem = EngineVersionItem | PluginVersionsItem | ListItem | MacroItem | RuleItem;
