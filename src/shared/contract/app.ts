// Contract domain "app": what the console itself is (version, host, data dir) and its settings.
import { z } from 'zod';
import { event, request } from './define';

export type HostKind = 'electron' | 'serve';
export type ThemeName = 'dark' | 'light';

export interface AppInfo {
  name: string;
  version: string;
  host: HostKind;
  platform: string;
  dataDir: string;
  opsDbPath: string;
  /** Features whose services are wired in this build; the renderer shows only these panels. */
  features: string[];
}

export interface UiSettings {
  theme: ThemeName;
  /** Fractions of the window given to the runbook column, the side column, and the bottom row. */
  layout: { leftWidth: number; sideWidth: number; bottomHeight: number };
  /** The operator closed the first-launch welcome card (the palette's "Welcome" opens it again). */
  welcomeDismissed: boolean;
}

export const appChannels = {
  'app:info': request<AppInfo>()(z.object({}).strict()),
  'app:get-ui-settings': request<UiSettings>()(z.object({}).strict()),
  'app:set-ui-settings': request<UiSettings>()(
    z
      .object({
        theme: z.enum(['dark', 'light']).optional(),
        layout: z
          .object({
            leftWidth: z.number().min(0.15).max(0.6),
            sideWidth: z.number().min(0.15).max(0.7),
            bottomHeight: z.number().min(0.15).max(0.85),
          })
          .optional(),
        welcomeDismissed: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Ask the host to open an http(s) URL in the OS browser. */
  'app:open-external': request<{ opened: boolean }>()(
    z
      .object({
        url: z
          .string()
          .url()
          .refine((u) => /^https?:\/\//i.test(u), 'only http(s) URLs'),
      })
      .strict(),
  ),
} as const;

export const appEvents = {
  /** A message for the operator from the main side (a service failed, a process ended). */
  'app:notice': event<{ level: 'info' | 'warning' | 'error'; message: string }>(),
} as const;
