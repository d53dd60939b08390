// The one way the console saves a file: a browser download of text it already holds (a query
// result, a session report). Works the same in Electron's window and in a served tab.

/** Offers `text` as a file named `name` of MIME type `type`. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked once the download has surely started with it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
