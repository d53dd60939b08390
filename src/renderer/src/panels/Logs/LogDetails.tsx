// The selected record of a log pane in full (file and offset, time, level, message, exception,
// properties) with Copy and Pin to session; and the rule that a record the view no longer holds
// leaves the details.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { formatRecordText, type LogRecord } from '../../../../shared/serilog';
import { api } from '../../transport';
import { useCurrentSession } from '../../state/session-store';
import { errText } from './use-log-view';
import type { ViewParams } from './log-view';

/** Records read around the selected one to tell whether a new view still holds it. */
const DETAIL_CHECK_ROWS = 200;
/** Longest record text a pin keeps (the contract's limit): the report shows the record itself. */
const PIN_TEXT_MAX = 16_384;

/** Local time (what the operator's clock and Serilog's `zzz` offset show), to the millisecond. */
export function timeText(t: number | null): string {
  if (t === null) return '';
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/**
 * The details follow the filter: a record the new view hides leaves the details panel. The
 * record is looked up in the view by its time (seek), then by file and offset among its rows.
 */
export function useSelectionInView(
  paneId: string,
  viewKey: string,
  viewParams: ViewParams,
  selected: LogRecord | null,
  setSelected: (r: LogRecord | null) => void,
  setError: (e: string) => void,
): void {
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const setters = useRef({ setSelected, setError });
  setters.current = { setSelected, setError };
  useEffect(() => {
    const sel = selectedRef.current;
    if (!sel) return;
    if (sel.time === null) {
      setters.current.setSelected(null);
      return;
    }
    let current = true;
    const time = sel.time;
    void (async () => {
      try {
        const { index } = await api.invoke('logs:seek-time', { paneId, time, ...viewParams });
        const r = await api.invoke('logs:page', {
          paneId,
          fromLine: index,
          count: DETAIL_CHECK_ROWS,
          ...viewParams,
        });
        const still = r.records.some((x) => x.file === sel.file && x.offset === sel.offset);
        if (current && !still && selectedRef.current === sel) setters.current.setSelected(null);
      } catch (e) {
        if (current) setters.current.setError(errText(e));
      }
    })();
    return () => {
      current = false;
    };
  }, [viewKey, viewParams, paneId]);
}

export default function LogDetails({
  record,
  onClose,
}: {
  record: LogRecord;
  onClose: () => void;
}): ReactElement {
  return (
    <div className="logs-detail">
      <div className="logs-detail-head">
        <span className="mono">
          {record.file}@{record.offset} · {timeText(record.time)} · {record.level ?? '-'}
        </span>
        <span className="spacer" />
        <button onClick={() => void navigator.clipboard.writeText(formatRecordText(record))}>Copy</button>
        <PinButton record={record} />
        <button className="ghost" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      <pre className="mono">{record.message}</pre>
      {record.exception ? <pre className="mono exc">{record.exception}</pre> : null}
      {record.properties ? (
        <pre className="mono props">{JSON.stringify(record.properties, null, 2)}</pre>
      ) : null}
    </div>
  );
}

/**
 * Pins the record to the session that records now, as evidence on its timeline (file, line, time,
 * level, text). Shown only while a session records; says what happened, or why not.
 */
function PinButton({ record }: { record: LogRecord }): ReactElement | null {
  const { id } = useCurrentSession();
  const [state, setState] = useState<{ key: string; text: string } | null>(null);
  const key = `${record.file}@${record.offset}`;
  if (!id) return null;
  const shown = state?.key === key ? state.text : null;
  const pin = () => {
    const text = formatRecordText(record);
    void api
      .invoke('walkthrough:record', {
        id,
        event: {
          type: 'log-pin',
          file: record.file,
          offset: record.offset,
          level: record.level ?? '-',
          timestamp: record.time === null ? '-' : new Date(record.time).toISOString(),
          text: text.length > PIN_TEXT_MAX ? text.slice(0, PIN_TEXT_MAX - 1) + '…' : text,
        },
      })
      .then(
        () => setState({ key, text: 'Pinned' }),
        (err: unknown) =>
          setState({ key, text: `Not pinned: ${err instanceof Error ? err.message : String(err)}` }),
      );
  };
  return (
    <>
      <button
        onClick={pin}
        title="Put this record on the recording session's timeline, as evidence"
        disabled={shown === 'Pinned'}
      >
        {shown === 'Pinned' ? 'Pinned' : 'Pin to session'}
      </button>
      {shown && shown !== 'Pinned' ? (
        <span className="logs-pin-error" role="alert">
          {shown}
        </span>
      ) : null}
    </>
  );
}
