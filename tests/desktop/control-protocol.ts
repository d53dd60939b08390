// Messages between the desktop-host test and the stand-in electron module inside the app process.

export type ControlRequest =
  | { t: 'invoke'; channel: string; args: unknown[]; frameUrl: string }
  | { t: 'permission-request'; permission: string; requestingUrl: string; isMainFrame: boolean }
  | { t: 'permission-check'; permission: string; requestingUrl: string; isMainFrame: boolean }
  | { t: 'window-open'; url: string }
  | { t: 'navigate'; url: string }
  | { t: 'second-instance' }
  | { t: 'quit' };

export type ControlReply =
  { t: 'reply'; id: number; ok: true; value: unknown } | { t: 'reply'; id: number; ok: false; error: string };

export type StandInReport =
  | ControlReply
  | { t: 'window'; options: Record<string, unknown> }
  | { t: 'load'; url: string }
  | { t: 'show' }
  | { t: 'focus' }
  | { t: 'sent'; channel: string; args: unknown[] }
  | { t: 'open-external'; url: string }
  | { t: 'error-box'; title: string; content: string }
  | { t: 'utility'; pid: number; modulePath: string }
  | { t: 'uncaught'; message: string }
  | { t: 'exit'; code: number };
