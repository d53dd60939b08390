// Contract domain "install": the Aura installs the console found, which one is attached, and the
// operator's manual additions and overrides.
import { z } from 'zod';
import type { InstallCandidate } from '../install-types';
import { event, request } from './define';

export interface InstallList {
  candidates: InstallCandidate[];
  /** Id of the attached candidate, or null. */
  selectedId: string | null;
}

/** An opened bundle's files being verified against its manifest (each readable once its sha256 matched). */
export interface BundleVerifyStatus {
  state: 'verifying' | 'verified' | 'failed';
  verifiedFiles: number;
  totalFiles: number;
  verifiedBytes: number;
  totalBytes: number;
  /** The file being verified now (a manifest name such as logs/aura-api-20261207.log). */
  current: string | null;
  /** Why the bundle was closed (state failed). */
  error: string | null;
}

const pathString = z.string().min(1).max(4096);

export const installChannels = {
  'install:list': request<InstallList>()(z.object({ rescan: z.boolean().default(false) }).strict()),
  'install:select': request<InstallList>()(z.object({ id: z.string().min(1) }).strict()),
  /** Add a data root by hand (it persists and becomes a candidate). */
  'install:add': request<InstallList>()(z.object({ dataRoot: pathString }).strict()),
  /** Open a support bundle zip (verified, extracted) and attach it as a read-only install. */
  'install:open-bundle': request<InstallList>()(z.object({ file: pathString }).strict()),
  /** The opened bundle's verification (null: no bundle was opened in this console run). */
  'install:bundle-status': request<BundleVerifyStatus | null>()(z.object({}).strict()),
  /** Override single paths of the attached install; an empty string clears an override. */
  'install:override': request<InstallList>()(
    z
      .object({
        logsDir: z.string().max(4096).optional(),
        dbPath: z.string().max(4096).optional(),
        apiUrl: z.string().max(2048).optional(),
      })
      .strict(),
  ),
} as const;

export const installEvents = {
  'install:changed': event<InstallList>(),
  /** Progress of an opened bundle's verification, and its failure (the bundle is then closed). */
  'install:bundle-verify': event<BundleVerifyStatus>(),
} as const;
