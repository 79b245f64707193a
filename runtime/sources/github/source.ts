// The github source (github plugin): its fields and evt.plugininfo. The plugin leaves event
// times to the engine (it sets no timestamp), so an event is timed when it is read.
import type { PluginEvent, PluginSourceDef } from '../plugin-event.ts';
import { fastjsonString } from '../json/fastjson-path.ts';
import { GITHUB_FIELDS } from './fields.ts';

/** evt.plugininfo: `github <type>`, then ` user:`, ` repo:` and ` action:` when they are strings. */
function githubInfo(ev: PluginEvent): string | undefined {
  const doc = ev.doc;
  if (doc === undefined) return undefined;
  let line = 'github ' + (fastjsonString(doc, 'webhook_type') ?? '');
  const user = fastjsonString(doc, 'sender', 'login');
  if (user !== undefined) line += ' user:' + user;
  const repo = fastjsonString(doc, 'repository', 'html_url');
  if (repo !== undefined) line += ' repo:' + repo;
  const action = fastjsonString(doc, 'action');
  if (action !== undefined) line += ' action:' + action;
  return line;
}

export const GITHUB_SOURCE: PluginSourceDef = { source: 'github', plugin: 'github', fields: GITHUB_FIELDS, info: githubInfo };
