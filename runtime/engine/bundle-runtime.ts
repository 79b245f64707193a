// The runtime side of the bundle ABI: what compiled code receives as `rt`. Operands arrive as
// text (Falco's printed form) and are resolved against this runtime's own field catalog, so a
// bundle never carries extractor code: a field this runtime cannot extract fails the load,
// naming the field, instead of failing an event later.
import type { TypedOperand } from '../../compiler/check/typed.ts';
import { parseCondition } from '../../compiler/parse/parse.ts';
import { typecheck } from '../../compiler/check/typecheck.ts';
import type { FieldCatalog } from '../fields/catalog.ts';
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

export function bundleRuntime(catalog: FieldCatalog, rules: readonly BundleRule[]): BundleRuntime {
  // Transformers go through the interpreter's operand code, over one field source per context.
  const sources = new WeakMap<object, SyscallFieldSource>();
  const sourceOf = (ctx: EventContext) => {
    let s = sources.get(ctx);
    if (!s) sources.set(ctx, (s = new SyscallFieldSource(ctx)));
    return s;
  };
  return {
    operand(text: string, cut = false): (ctx: unknown) => Extracted {
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
