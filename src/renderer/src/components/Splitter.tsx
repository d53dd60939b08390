// A drag handle between two areas; reports the pointer's position as a fraction of the parent.
// Arrow keys move it too, so the layout is keyboard reachable. A drag selects no text on its way.
interface Props {
  direction: 'horizontal' | 'vertical';
  /** `done` is false while a drag is under way and true once it ends (or for a key press). */
  onResize: (fraction: number, done: boolean) => void;
}

/** Fractions outside this range would hide an area entirely. */
const MIN = 0.15;
const MAX = 0.85;

export default function Splitter({ direction, onResize }: Props) {
  const clamp = (f: number) => Math.min(MAX, Math.max(MIN, f));
  return (
    <div
      className={`splitter ${direction}`}
      role="separator"
      tabIndex={0}
      aria-orientation={direction === 'horizontal' ? 'vertical' : 'horizontal'}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        // Without this the browser starts a text selection that follows the pointer across the panes.
        e.preventDefault();
        const root = document.documentElement;
        root.classList.add('splitter-dragging', `dragging-${direction}`);
        window.getSelection()?.removeAllRanges();
        const parent = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
        const at = (ev: PointerEvent) =>
          clamp(
            direction === 'horizontal'
              ? (ev.clientX - parent.left) / parent.width
              : (ev.clientY - parent.top) / parent.height,
          );
        let moved = false;
        const move = (ev: PointerEvent) => {
          moved = true;
          onResize(at(ev), false);
        };
        const up = (ev: PointerEvent) => {
          if (moved) onResize(at(ev), true);
          root.classList.remove('splitter-dragging', `dragging-${direction}`);
          window.removeEventListener('pointermove', move);
          window.removeEventListener('pointerup', up);
          window.removeEventListener('pointercancel', up);
        };
        window.addEventListener('pointermove', move);
        window.addEventListener('pointerup', up);
        window.addEventListener('pointercancel', up);
      }}
      onKeyDown={(e) => {
        const parent = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
        const self = e.currentTarget.getBoundingClientRect();
        const cur =
          direction === 'horizontal'
            ? (self.left - parent.left) / parent.width
            : (self.top - parent.top) / parent.height;
        const step = 0.03;
        if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') onResize(clamp(cur - step), true);
        if (e.key === 'ArrowRight' || e.key === 'ArrowDown') onResize(clamp(cur + step), true);
      }}
    />
  );
}
