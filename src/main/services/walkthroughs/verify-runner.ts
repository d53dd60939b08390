// How Verify re-runs a checked step: non-interactively, as `aura-ops runbooks test` does (bash -c
// with the install's AURA_* paths and this console's CLI first on PATH), within the step time limit.
import type { InstallCandidate } from '../../../shared/install-types';
import { OpsError } from '../../../shared/errors';
import { createAuraOpsShim, findAuraOpsBin, runCommand, stepEnv } from '../runbooks/step-command';

/** A verify re-run of one checked step may take this long (the runbook test runner's limit). */
export const VERIFY_STEP_TIMEOUT_MS = 15_000;

export async function runVerifyStep(
  command: string,
  install: InstallCandidate | null,
): Promise<{ output: string; exitCode: number | null }> {
  if (!install)
    throw new OpsError(
      'unavailable',
      'No Aura install is attached, so Verify cannot re-run the steps.',
      'Attach an install, then verify again.',
    );
  const bin = findAuraOpsBin();
  const shim = bin ? createAuraOpsShim([process.execPath, bin]) : null;
  try {
    const r = await runCommand(command, {
      shell: 'bash',
      cwd: install.paths.dataRoot,
      env: stepEnv(install.paths, shim?.dir ?? null, process.env, install.bundle?.asOf ?? null),
      timeoutMs: VERIFY_STEP_TIMEOUT_MS,
    });
    if (r.spawnError) return { output: r.spawnError, exitCode: null };
    return {
      output: r.timedOut ? `${r.output}\n[timed out after ${VERIFY_STEP_TIMEOUT_MS / 1000} s]` : r.output,
      exitCode: r.exitCode,
    };
  } finally {
    shim?.cleanup();
  }
}
