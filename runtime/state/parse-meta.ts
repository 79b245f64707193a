// Records that are not syscalls: users and groups (the capture's dump of the user tables and
// later changes) and container records (legacy container events, async `container` events).
import type { EventView } from '../events/event-view.ts';
import type { SystemState } from './system-state.ts';
import { bytes, int, paramSlots, str } from './event-params.ts';

const P = paramSlots('container_id', 'data', 'gid', 'home', 'id', 'image', 'json', 'name', 'shell', 'uid');

export function parseMetaEvent(state: SystemState, v: EventView): void {
  switch (v.name) {
    case 'useradded':
      state.users.addUser(str(v, P.container_id), {
        uid: int(v, P.uid, 0, false) >>> 0, gid: int(v, P.gid, 0, false) >>> 0, name: str(v, P.name), homedir: str(v, P.home), shell: str(v, P.shell),
      });
      return;
    case 'userdeleted':
      state.users.removeUser(str(v, P.container_id), int(v, P.uid, 0, false) >>> 0);
      return;
    case 'groupadded':
      state.users.addGroup(str(v, P.container_id), { gid: int(v, P.gid, 0, false) >>> 0, name: str(v, P.name) });
      return;
    case 'groupdeleted':
      state.users.removeGroup(str(v, P.container_id), int(v, P.gid, 0, false) >>> 0);
      return;
    case 'container':
      if ((P.json[v.type] ?? -1) >= 0) addContainerJson(state, str(v, P.json));
      else if ((P.id[v.type] ?? -1) >= 0) state.containers.set(str(v, P.id), { id: str(v, P.id), json: { name: str(v, P.name), image: str(v, P.image) } });
      return;
    case 'asyncevent': {
      const name = str(v, P.name);
      if (name === 'container') addContainerJson(state, Buffer.from(bytes(v, P.data)).toString('latin1'));
      else if (name === 'container_removed') removeContainerJson(state, Buffer.from(bytes(v, P.data)).toString('latin1'));
      return;
    }
  }
}

/** A JSON container record (`{"container": {"id": …, …}}`); malformed records are ignored. */
function parseRecord(text: string): Record<string, unknown> | undefined {
  try {
    const end = text.indexOf('\0');
    const doc: unknown = JSON.parse(Buffer.from(end >= 0 ? text.slice(0, end) : text, 'latin1').toString('utf8'));
    if (typeof doc !== 'object' || doc === null) return undefined;
    const c = (doc as Record<string, unknown>)['container'];
    return typeof c === 'object' && c !== null ? (c as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function addContainerJson(state: SystemState, text: string): void {
  const c = parseRecord(text);
  const id = c?.['id'];
  if (c && typeof id === 'string') state.containers.set(id, { id, json: c });
}

function removeContainerJson(state: SystemState, text: string): void {
  const id = parseRecord(text)?.['id'];
  if (typeof id === 'string') state.containers.delete(id);
}
