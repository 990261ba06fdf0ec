// Page commands from the session API (pywebio_nb/session): run_js, eval_js, download.
// Shared by the standalone page and the notebook widget.

/** Runs `code` with `args` as local variables (PyWebIO's run_js). Errors go to the console. */
export function runJs(code: string, args: Record<string, unknown>): void {
  try {
    const names = Object.keys(args);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function(...names, code)(...names.map((name) => args[name]));
  } catch (error) {
    console.error("pywebio_nb: run_js failed", error);
  }
}

/** Evaluates `expression` (awaiting a promise) and returns its JSON value, or null on error. */
export async function evalJs(expression: string, args: Record<string, unknown>): Promise<unknown> {
  try {
    const names = Object.keys(args);
    const fn = new Function(...names, `return (${expression}\n);`);
    const value: unknown = await fn(...names.map((name) => args[name]));
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  } catch (error) {
    console.error("pywebio_nb: eval_js failed", error);
    return null;
  }
}

/** Makes the browser save `content` as a file named `name`. */
export function download(name: string, content: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([content.slice()]));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
