// Which installs the console offers to attach: one rule for the Install tab and the command
// palette, so neither offers a candidate the other calls "nothing there".
import type { InstallList } from '../../../shared/contract/install';
import type { InstallCandidate } from '../../../shared/install-types';

/** A candidate is worth attaching when its data root holds an aura.db or a logs folder. */
export function isAvailable(c: InstallCandidate): boolean {
  return c.found;
}

/** The installs one could switch to: available ones other than the attached one. */
export function attachableInstalls(list: InstallList | null): InstallCandidate[] {
  if (!list) return [];
  return list.candidates.filter((c) => c.id !== list.selectedId && isAvailable(c));
}
