// The handbook's emergency contacts, one per role, read from and saved to ops.db.
import { useEffect, useRef, useState } from 'react';
import {
  CONTACT_ROLES,
  CONTACT_ROLE_LABEL,
  type Contact,
} from '../../../../shared/contract/walkthroughs-session';
import { api } from '../../transport';

/** The handbook's emergency contacts, one per role, kept in ops.db. */
export default function Contacts({ onError }: { onError: (err: unknown) => void }) {
  const [list, setList] = useState<Contact[] | null>(null);
  const [saved, setSaved] = useState(false);
  // The parent's error handler changes every render; the list is read once.
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  useEffect(() => {
    void api.invoke('walkthrough:contacts', {}).then(setList, (err: unknown) => onErrorRef.current(err));
  }, []);
  if (!list) return null;
  const get = (role: Contact['role']) => list.find((c) => c.role === role) ?? { role, name: '', reach: '' };
  const put = (c: Contact) => {
    setSaved(false);
    setList([...list.filter((x) => x.role !== c.role), c]);
  };
  return (
    <details className="contacts" data-testid="contacts">
      <summary>Emergency contacts</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          api.invoke('walkthrough:contacts', { set: CONTACT_ROLES.map(get) }).then((l) => {
            setList(l);
            setSaved(true);
          }, onError);
        }}
      >
        {CONTACT_ROLES.map((role) => (
          <div className="row" key={role}>
            <span className="role">{CONTACT_ROLE_LABEL[role]}</span>
            <input
              aria-label={`${CONTACT_ROLE_LABEL[role]} name`}
              placeholder="Name"
              value={get(role).name}
              onChange={(e) => put({ ...get(role), name: e.target.value })}
            />
            <input
              aria-label={`${CONTACT_ROLE_LABEL[role]} how to reach`}
              placeholder="How to reach"
              value={get(role).reach}
              onChange={(e) => put({ ...get(role), reach: e.target.value })}
            />
          </div>
        ))}
        <div className="row">
          <button type="submit">Save contacts</button>
          {saved && <span className="ok">Saved.</span>}
        </div>
      </form>
    </details>
  );
}
