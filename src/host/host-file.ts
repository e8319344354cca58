/** What a running host writes to `host.json` so the CLI can find and steer it. */
export interface HostFile {
  /** The host process. */
  pid: number;
  controlPort: number;
  /** Required on every control request: only whoever can read host.json (mode 0600) may steer the host. */
  token: string;
  startedAt: string;
}

/** The header that carries HostFile.token. */
export const CONTROL_TOKEN_HEADER = "x-gatehouse-token";
