// The runtime side of the bundle ABI: what compiled code receives as `rt`. Operands arrive as
// text (Falco's printed form) and are resolved against this runtime's own field catalog, so a
// bundle never carries extractor code: a field this runtime cannot extract fails the load,
// naming the field, instead of failing an event later. Plugin sources' operands resolve against
// their source's catalog and extract with the interpreter's plugin extractors (pluginExtractor).
import type { TypedOperand } from '../../compiler/check/typed.ts';
import { parseCondition } from '../../compiler/parse/parse.ts';
import { typecheck } from '../../compiler/check/typecheck.ts';
import { catalogFor, SYSCALL_SOURCE, type FieldCatalog } from '../fields/catalog.ts';
import type { FieldSource } from '../interpreter/evaluate.ts';
import type { TypedField } from '../../compiler/check/typed.ts';
import { PLUGIN_SOURCES } from '../sources/sources.ts';
import { pluginExtractor, type PluginEventContext } from '../sources/plugin-field-source.ts';
import { compileCheck } from '../operators/compare.ts';
import { cString } from '../operators/strings.ts';
import type { Extracted } from '../operators/values.ts';
import { operand as interpretOperand } from '../interpreter/evaluate.ts';
import { compileExtractor, SyscallFieldSource } from '../extract/registry.ts';
import type { EventContext } from '../extract/context.ts';
import { NUL_FREE_FIELDS } from '../extract/nul-free.ts';
import type { BundleRule, BundleRuntime } from './bundle-abi.ts';

export class BundleLoadError extends Error {}

/** An error raised by a rule's compiled code, naming the rule. */
export class RuleEvaluationError extends Error {
  constructor(
    readonly rule: string,
    override readonly cause: unknown,
  ) {
    super(`rule '${rule}': evaluation failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** `text` is a byte string in Falco's printed operand syntax (`proc.aname[2]`, `tolower(fd.name)`). */
export function operandFromText(text: string, catalog: FieldCatalog): TypedOperand {
  let typed;
  try {
    typed = typecheck(parseCondition(`${text} exists`), { catalog }).typed;
  } catch (e) {
    throw new BundleLoadError(`the bundle reads ${JSON.stringify(text)}, which this runtime cannot extract: ${(e as Error).message}`);
  }
  if (typed.kind !== 'check') throw new BundleLoadError(`the bundle reads ${JSON.stringify(text)}, which is not a field`);
  return typed.left;
}

type ContextExtractor = (ctx: unknown) => Extracted;

/** A plugin source's operand extractor over PluginEventContexts; transformers through the interpreter. */
function pluginOperand(text: string, source: string): { read: ContextExtractor; o: TypedOperand } {
  const catalog = catalogFor(source);
  const def = PLUGIN_SOURCES.get(source);
  if (!catalog || !def) throw new BundleLoadError(`the bundle has rules of the event source '${source}', which this runtime does not implement`);
  const o = operandFromText(text, catalog);
  const extractor = (f: TypedField): ContextExtractor => {
    try {
      return pluginExtractor(def, f) as ContextExtractor;
    } catch (e) {
      throw new BundleLoadError(`the bundle reads ${text} (${source}): ${(e as Error).message}`);
    }
  };
  if (o.kind === 'field') return { read: extractor(o), o };
  // The transformer's fields, extracted once each; one field source per event context.
  const byField = new Map<TypedField, ContextExtractor>();
  const fieldsOf = new WeakMap<object, FieldSource>();
  return {
    o,
    read: (ctx) => {
      let src = fieldsOf.get(ctx as PluginEventContext);
      if (!src) {
        src = {
          extract: (f) => {
            let x = byField.get(f);
            if (!x) byField.set(f, (x = extractor(f)));
            return x(ctx);
          },
        };
        fieldsOf.set(ctx as PluginEventContext, src);
      }
      return interpretOperand(o, src);
    },
  };
}

export function bundleRuntime(catalog: FieldCatalog, rules: readonly BundleRule[]): BundleRuntime {
  // Transformers go through the interpreter's operand code, over one field source per context.
  const sources = new WeakMap<object, SyscallFieldSource>();
  const sourceOf = (ctx: EventContext) => {
    let s = sources.get(ctx);
    if (!s) sources.set(ctx, (s = new SyscallFieldSource(ctx)));
    return s;
  };
  return {
    operand(text: string, cut = false, source: string = SYSCALL_SOURCE): (ctx: unknown) => Extracted {
      if (source !== SYSCALL_SOURCE) {
        const { read } = pluginOperand(text, source);
        // Plugin strings may hold NULs (JSON's \u0000), so a cut operand always cuts.
        return cut ? (ctx) => { const v = read(ctx); return typeof v === 'string' ? cString(v) : v; } : read;
      }
      const o = operandFromText(text, catalog);
      let read: (ctx: unknown) => Extracted;
      if (o.kind === 'field') {
        try {
          read = compileExtractor(o, 'filter') as (ctx: unknown) => Extracted;
        } catch (e) {
          throw new BundleLoadError(`the bundle reads ${text}: ${(e as Error).message}`);
        }
      } else read = (ctx) => interpretOperand(o, sourceOf(ctx as EventContext));
      if (!cut || (o.kind === 'field' && NUL_FREE_FIELDS.has(o.field.name))) return read;
      return (ctx) => {
        const v = read(ctx);
        return typeof v === 'string' ? cString(v) : v;
      };
    },
    check: compileCheck,
    ruleError: (error, rule) => new RuleEvaluationError(rules[rule]?.name ?? `#${rule}`, error),
  };
}
