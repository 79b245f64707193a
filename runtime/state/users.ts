// Users and groups per container ('' = host), from the capture's tables and user/group events.
// An id nobody recorded reads as `root` for 0 and `<NA>` otherwise, as libsinsp's fallback does.

export interface UserEntry {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
}

export interface GroupEntry {
  gid: number;
  name: string;
}

export class UserTable {
  private readonly users = new Map<string, Map<number, UserEntry>>();
  private readonly groups = new Map<string, Map<number, GroupEntry>>();

  addUser(containerId: string, u: UserEntry): void {
    let m = this.users.get(containerId);
    if (!m) this.users.set(containerId, (m = new Map()));
    m.set(u.uid, u);
  }

  removeUser(containerId: string, uid: number): void {
    this.users.get(containerId)?.delete(uid);
  }

  addGroup(containerId: string, g: GroupEntry): void {
    let m = this.groups.get(containerId);
    if (!m) this.groups.set(containerId, (m = new Map()));
    m.set(g.gid, g);
  }

  removeGroup(containerId: string, gid: number): void {
    this.groups.get(containerId)?.delete(gid);
  }

  user(containerId: string, uid: number): UserEntry | undefined {
    return this.users.get(containerId)?.get(uid);
  }

  userName(containerId: string, uid: number): string {
    return this.user(containerId, uid)?.name ?? (uid === 0 ? 'root' : '<NA>');
  }

  groupName(containerId: string, gid: number): string {
    return this.groups.get(containerId)?.get(gid)?.name ?? (gid === 0 ? 'root' : '<NA>');
  }
}
