// The one handler table: contract channel -> service call. Both hosts (Electron IPC, serve's
// WebSocket) and tests call `dispatch`, which validates params with the contract's zod schema and
// turns every failure into the contract's error shape.
import { channels, isChannel } from '../shared/contract';
import type { IpcReply } from '../shared/ipc-channels';
import { OpsError, toErrorShape } from '../shared/errors';
import type { HandlerTable } from './handler-types';
import type { ServiceContext } from './services/context';
import { appHandlers, type AppDeps } from './services/app/handlers';
import { installHandlers } from './services/install/handlers';
import type { InstallService } from './services/install/service';
import type { OpsStore } from './services/store/store';
import { sandboxHandlers } from './sandbox/handlers';
import { walkthroughHandlers } from './services/walkthroughs/handlers';
import { databaseHandlers } from './services/database/handlers';
import type { DatabaseService } from './services/database/service';
import { runbooksHandlers } from './services/runbooks/handlers';
import type { RunbookLibrary } from './services/runbooks/library';
import { runbookReviewHandlers } from './services/runbooks/review-handlers';
import type { ReviewService } from './services/runbooks/review-service';
import { logsHandlers } from './services/logs/handlers';
import type { LogsService } from './services/logs/service';
import { probesHandlers } from './services/probes/handlers';
import type { ProbesService } from './services/probes/service';
import { terminalHandlers } from './services/terminal/handlers';
import type { TerminalService } from './services/terminal/service';
import type { WalkthroughService } from './services/walkthroughs/service';
import type { SandboxHandle } from './sandbox/server';
import { bundleGate } from './services/bundle/gate';
import type { BundleVerifyStatus } from '../shared/contract/install';

/** A call's answer, as it crosses IPC and the serve socket. */
export type DispatchResult = IpcReply;

export interface ApiDeps {
  ctx: ServiceContext;
  store: OpsStore;
  install: InstallService;
  app: AppDeps;
  getSandbox: () => SandboxHandle | null;
  walkthroughs: WalkthroughService;
  database: DatabaseService;
  runbooks: RunbookLibrary;
  review: ReviewService;
  logs: LogsService;
  probes: ProbesService;
  terminal: TerminalService;
  /** Open a support bundle and attach it (Runtime.openBundle). */
  openBundle: (file: string) => Promise<unknown>;
  /** The opened bundle's verification (null: none opened). */
  bundleStatus: () => BundleVerifyStatus | null;
  /** Waits until the opened bundle's files a request reads are verified (readiness.ts). */
  bundleReady: (channel: string, params: unknown) => Promise<void>;
}

export interface Api {
  dispatch(channel: string, params: unknown): Promise<DispatchResult>;
}

export function createApi(deps: ApiDeps): Api {
  const table: HandlerTable = {
    ...appHandlers(deps.app, deps.store),
    ...installHandlers(deps.install, deps.openBundle, deps.bundleStatus),
    ...sandboxHandlers(deps.getSandbox),
    ...walkthroughHandlers(deps.walkthroughs, deps.terminal),
    ...databaseHandlers(deps.database),
    ...runbooksHandlers(deps.runbooks),
    ...runbookReviewHandlers(deps.review),
    ...logsHandlers(deps.logs),
    ...probesHandlers(deps.probes),
    ...terminalHandlers(deps.terminal),
  };

  // What the operator does elsewhere in the console (a DB check or backup, a health sweep) goes on
  // the recording session's timeline; a failure to record is said, never swallowed.
  const observe = (channel: string, outcome: DispatchResult) => {
    try {
      deps.walkthroughs.observe(channel, outcome);
    } catch (err) {
      deps.ctx.emit('app:notice', {
        level: 'error',
        message: `Could not record ${channel} in the session: ${(err as Error).message}`,
      });
    }
  };

  return {
    async dispatch(channel, rawParams) {
      try {
        if (!isChannel(channel)) throw new OpsError('unknown-channel', `No such channel: ${channel}`);
        const parsed = channels[channel].params.safeParse(rawParams ?? {});
        if (!parsed.success) {
          const issues = parsed.error.issues
            .map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`)
            .join('; ');
          throw new OpsError('bad-request', `Invalid parameters for ${channel}`, issues);
        }
        // An opened support bundle is read-only evidence: live-only and mutating steps are refused.
        const attached = deps.install.current();
        if (attached?.bundle) {
          await bundleGate(channel, parsed.data, {
            classify: (c) => deps.terminal.classify(c),
            apiUrl: attached.paths.apiUrl,
          });
          // Nothing of it is read before its own sha256 matched: the request waits for its files.
          await deps.bundleReady(channel, parsed.data);
        }
        const handler = table[channel] as (p: unknown) => unknown;
        let result: unknown;
        try {
          result = await handler(parsed.data);
        } catch (err) {
          observe(channel, { ok: false, error: toErrorShape(err) });
          throw err;
        }
        observe(channel, { ok: true, result });
        return { ok: true, result };
      } catch (err) {
        return { ok: false, error: toErrorShape(err) };
      }
    },
  };
}
