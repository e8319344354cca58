import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { TenantStore } from "../identity/tenant-store.js";

const TENANT_DATABASE = "identity.sqlite";

/** How many users the identity tenants stored under `dirs` hold (so removing a stage can ask first). */
export function countStageUsers(dirs: string[]): number {
  let users = 0;
  for (const database of dirs.flatMap(findTenantDatabases)) {
    const store = new TenantStore(dirname(database));
    try {
      users += store.listUsers().length;
    } finally {
      store.close();
    }
  }
  return users;
}

function findTenantDatabases(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === TENANT_DATABASE) return [path];
    return statSync(path).isDirectory() ? findTenantDatabases(path) : [];
  });
}
