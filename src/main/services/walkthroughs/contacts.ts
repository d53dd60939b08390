// The emergency contacts the reports name, one per role, kept as a setting in ops.db.
import {
  CONTACT_ROLES,
  CONTACT_ROLE_LABEL,
  type Contact,
} from '../../../shared/contract/walkthroughs-session';
import { OpsError } from '../../../shared/errors';
import type { OpsStore } from '../store/store';

const KEY_CONTACTS = 'walkthrough.contacts';

/** The emergency contacts, one per role, in the handbook's order; roles nobody filled are left out. */
export function readContacts(store: OpsStore): Contact[] {
  const stored = store.getSetting<Contact[]>(KEY_CONTACTS);
  if (!Array.isArray(stored)) return [];
  return CONTACT_ROLES.flatMap((role) =>
    stored.filter((c) => c && c.role === role && typeof c.name === 'string' && c.name.trim()).slice(0, 1),
  );
}

export function saveContacts(store: OpsStore, list: Contact[]): Contact[] {
  const roles = list.map((c) => c.role);
  if (new Set(roles).size !== roles.length)
    throw new OpsError('bad-request', 'Each role has one contact; a role was given twice.');
  const bad = list.find((c) => c.name.trim() && !c.reach.trim());
  if (bad)
    throw new OpsError('bad-request', `Say how to reach ${bad.name} (${CONTACT_ROLE_LABEL[bad.role]}).`);
  store.setSetting(
    KEY_CONTACTS,
    list.filter((c) => c.name.trim()),
  );
  return readContacts(store);
}
