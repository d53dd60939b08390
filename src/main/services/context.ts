// What every service gets from the host: the console's data dir, its own store, the attached
// install, and a way to push events. Services never import electron or a host.
import type { InstallCandidate } from '../../shared/install-types';

export interface ServiceContext {
  /** The console's own data dir (holds ops.db); never the install's. */
  readonly dataDir: string;
  /** The attached install, or null when none is attached. */
  getInstall(): InstallCandidate | null;
  /** Push an event to every connected renderer (IPC or WebSocket). */
  emit(event: string, payload: unknown): void;
  /** Called once when the host shuts down; services register their cleanup here. */
  onDispose(fn: () => void | Promise<void>): void;
}
