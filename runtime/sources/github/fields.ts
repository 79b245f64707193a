// github plugin fields (github.*), as falcosecurity/plugins' github plugin extracts them from
// the stored event: the webhook body plus `webhook_type` (from the X-GitHub-Event header), and,
// after the plugin's own analysis, `files` (secrets found in a push's diff) and
// `workflow_miner_detections` (miners found in a workflow file).
//
// The plugin reads the payload with fastjson (a payload that does not parse fails every field)
// and sets a value for nearly every field even when the member is missing: string members give
// "" when missing or not strings. The exceptions, which set nothing when their section is
// missing, are github.diff.committed_secrets.{desc,files,lines} (no `files` array) and
// github.workflow.{has_miners,miners.type} (no `workflow_miner_detections.matches` array).
import type { JsonNode } from '../json-doc.ts';
import { utf8Bytes } from '../json-doc.ts';
import { PluginExtractError, type PluginEvent, type PluginFieldFactory } from '../plugin-event.ts';
import type { Extracted } from '../../operators/values.ts';
import { fastjsonArray, fastjsonBool, fastjsonString, fastjsonUint64 } from '../json/fastjson-path.ts';

type Getter = (doc: JsonNode) => string | undefined;

function payload(ev: PluginEvent): JsonNode {
  if (ev.doc === undefined) throw new PluginExtractError('github event payload is not JSON');
  return ev.doc;
}

const field =
  (get: Getter): PluginFieldFactory =>
  () =>
  (ev): Extracted => {
    const v = get(payload(ev));
    return v === undefined ? undefined : utf8Bytes(v);
  };

/** A string member, "" when missing or not a string. */
const text = (...keys: string[]): PluginFieldFactory => field((doc) => fastjsonString(doc, ...keys) ?? '');

/** Drops one trailing comma: the plugin does this after each commit's or file's list. */
const trimComma = (s: string) => (s.endsWith(',') ? s.slice(0, -1) : s);

/**
 * The file names of every commit's `added`/`modified`/`removed` list. Upstream quirk: the
 * trailing comma is trimmed after each commit, so successive commits' lists run together.
 */
function commitFiles(doc: JsonNode, list: string): string {
  let res = '';
  for (const commit of fastjsonArray(doc, 'commits') ?? []) {
    for (const name of fastjsonArray(commit, list) ?? []) res += (fastjsonString(name) ?? '') + ',';
    res = trimComma(res);
  }
  return res;
}

/** One entry per secret match of every scanned file (same per-file comma quirk). */
function secretMatches(doc: JsonNode, entry: (file: JsonNode, match: JsonNode) => string): string | undefined {
  const files = fastjsonArray(doc, 'files');
  if (files === undefined) return undefined;
  let res = '';
  for (const file of files) {
    for (const match of fastjsonArray(file, 'matches') ?? []) res += entry(file, match) + ',';
    res = trimComma(res);
  }
  return res;
}

export const GITHUB_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {
  'github.type': text('webhook_type'),
  'github.action': text('action'),
  'github.user': text('sender', 'login'),
  'github.repo': text('repository', 'html_url'),
  'github.repo.url': text('repository', 'html_url'),
  'github.repo.name': field((doc) => {
    const url = fastjsonString(doc, 'repository', 'html_url') ?? '';
    const prefix = 'https://github.com/';
    return url.startsWith(prefix) ? url.slice(prefix.length) : url;
  }),
  'github.repo.description': text('repository', 'description'),
  'github.org': text('organization', 'login'),
  'github.owner': text('repository', 'owner', 'login'),
  // Public unless `repository.private` is literally true (so also when there is no repository).
  'github.repo.public': field((doc) => (fastjsonBool(doc, 'repository', 'private') ? 'false' : 'true')),
  'github.collaborator.name': text('member', 'login'),
  'github.collaborator.role': text('changes', 'permission', 'to'),
  // A number of plain digits within uint64, else 0 (missing included).
  'github.webhook.id': field((doc) => fastjsonUint64(doc, 'hook', 'id').toString()),
  'github.webhook.type': text('hook', 'type'),
  'github.commit.added': field((doc) => commitFiles(doc, 'added')),
  'github.commit.modified': field((doc) => commitFiles(doc, 'modified')),
  'github.commit.removed': field((doc) => commitFiles(doc, 'removed')),
  // "" without a `files` array (no diff was scanned), else whether any file has a match.
  'github.diff.has_secrets': field((doc) => {
    const files = fastjsonArray(doc, 'files');
    if (files === undefined) return '';
    return files.some((f) => (fastjsonArray(f, 'matches')?.length ?? 0) > 0) ? 'true' : 'false';
  }),
  'github.diff.committed_secrets.desc': field((doc) => secretMatches(doc, (_f, m) => fastjsonString(m, 'desc') ?? '')),
  'github.diff.committed_secrets.files': field((doc) => secretMatches(doc, (f) => fastjsonString(f, 'name') ?? '')),
  'github.diff.committed_secrets.lines': field((doc) => secretMatches(doc, (_f, m) => fastjsonUint64(m, 'line').toString())),
  // Unlike the three above, set ("") even without a `files` array.
  'github.diff.committed_secrets.links': field((doc) => {
    const repo = fastjsonString(doc, 'repository', 'html_url') ?? '';
    const head = fastjsonString(doc, 'head_commit', 'id') ?? '';
    const links = secretMatches(
      doc,
      (f, m) => `${repo}/blob/${head}/${fastjsonString(f, 'name') ?? ''}/#L${fastjsonUint64(m, 'line')}`,
    );
    return links ?? '';
  }),
  'github.workflow.has_miners': field((doc) => {
    const matches = fastjsonArray(doc, 'workflow_miner_detections', 'matches');
    return matches === undefined ? undefined : matches.length === 0 ? 'false' : 'true';
  }),
  // The distinct miner types. Upstream joins them in Go map order (unspecified); here in order
  // of first appearance, so the text is deterministic.
  'github.workflow.miners.type': field((doc) => {
    const matches = fastjsonArray(doc, 'workflow_miner_detections', 'matches');
    if (matches === undefined) return undefined;
    return [...new Set(matches.map((m) => fastjsonString(m, 'type') ?? ''))].join(',');
  }),
  'github.workflow.filename': text('workflow', 'path'),
};
