// The Ruleset: what resolve + check hand to plan/emit. Rules are in load order with their
// conditions fully resolved (lists substituted, exceptions added, macros expanded), typed, and
// their event types computed.
import type { Context } from '../diagnostics.ts';
import type { Expr } from '../parse/ast.ts';
import type { TypedExpr } from '../check/typed.ts';
import type { CompiledOutput } from '../check/output-format.ts';
import type { PluginRequirement, Priority, Semver } from '../load/items.ts';

export interface CompiledRule {
  name: string;
  desc: string;
  priority: Priority;
  source: string;
  enabled: boolean;
  tags: string[];
  capture: boolean;
  /** Milliseconds. */
  captureDuration: number;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  /** The condition as written, with appends joined (what `falco --list` shows as condition). */
  conditionSource: string;
  /** After list substitution, exceptions and macro expansion. */
  ast: Expr;
  typed: TypedExpr;
  /** The output as written, with appends joined. */
  outputSource: string;
  /** Output format after extra outputs were appended (and %container.info removed). */
  output: string;
  compiledOutput: CompiledOutput;
  extraOutputFields: { key: string; format: string; compiled: CompiledOutput }[];
  exceptionFields: string[];
  /** Event codes the condition can match (syscall rules); undefined for plugin sources. */
  eventCodes?: ReadonlySet<number>;
  /** Position in load order (first definition). */
  index: number;
  ctx: Context;
}

export interface CompiledList {
  name: string;
  items: string[];
  /** Names of earlier lists whose items this list includes. */
  lists: string[];
  used: boolean;
}

export interface CompiledMacro {
  name: string;
  condition: string;
  used: boolean;
}

export interface Ruleset {
  rules: CompiledRule[];
  lists: CompiledList[];
  macros: CompiledMacro[];
  requiredEngineVersion?: Semver;
  pluginRequirements: PluginRequirement[][];
}
