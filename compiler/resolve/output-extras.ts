// falco.yaml's append_output applied to one rule's output: the formats whose source, tags and
// rule match are appended, then the deprecated %container.info token is dropped. Shared by the
// rules compiler and the runtime loading a compiled bundle (which applies the host's settings).
export interface ExtraOutput {
  format: string;
  source?: string;
  tags?: string[];
  rule?: string;
}
export interface ExtraOutputField extends ExtraOutput {
  key: string;
}

export const CONTAINER_INFO = '%container.info';

export interface OutputRule {
  name: string;
  source: string;
  tags: readonly string[];
}

export function extraApplies(extra: ExtraOutput, r: OutputRule): boolean {
  if (extra.source && extra.source !== r.source) return false;
  if (extra.tags && !extra.tags.every((t) => r.tags.includes(t))) return false;
  return !extra.rule || extra.rule === r.name;
}

/** The output format a rule alerts with. */
export function ruleOutputFormat(output: string, r: OutputRule, extras: readonly ExtraOutput[]): string {
  let out = output;
  for (const extra of extras) if (extraApplies(extra, r)) out += ` ${extra.format}`;
  return out.includes(CONTAINER_INFO) ? out.split(CONTAINER_INFO).join('') : out;
}
