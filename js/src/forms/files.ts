// File fields: choosing files, checking limits early, and uploading them in chunks.
// Mirrors pywebio_nb/input/_files.py: each chunk is one message of at most CHUNK_SIZE bytes, so
// a file of any size passes a notebook server's message limit. Python acknowledges chunks by
// updating the field's `progress` (bytes received); at most WINDOW chunks are unacknowledged.

import { h } from "../outputs/registry";
import type { FieldSpec } from "./fields";

export const CHUNK_SIZE = 1024 * 1024;
const WINDOW = 4;
const ACK_TIMEOUT_MS = 120_000;

export interface FileDescriptor {
  filename: string;
  size: number;
  mime_type: string;
  last_modified: number;
}

export type ChunkSender = (
  chunk: { file: number; offset: number; size: number },
  buffer: ArrayBuffer,
) => void;

export interface FileControl {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement;
  descriptors(): FileDescriptor[];
  /** A message when the chosen files break a limit (Python checks again). */
  check(): string | null;
  upload(send: ChunkSender): Promise<void>;
  update(attrs: Record<string, unknown>): void;
  reset(): void;
}

function human(size: number): string {
  for (const [unit, scale] of [
    ["GB", 1024 ** 3],
    ["MB", 1024 ** 2],
    ["KB", 1024],
  ] as const) {
    if (size >= scale) return `${(size / scale).toFixed(1)} ${unit}`;
  }
  return `${size} bytes`;
}

export function createFileControl(
  spec: FieldSpec,
  id: string,
  showError: (message: string | null) => void,
): FileControl {
  const el = h("div", "pywebio-file-field");
  const input = h("input", "pywebio-file-input");
  input.type = "file";
  input.id = id;
  input.multiple = Boolean(spec.multiple);
  if (typeof spec.accept === "string") input.accept = spec.accept;
  if (spec.required) input.required = true;
  if (typeof spec.placeholder === "string") input.title = spec.placeholder;
  const bar = h("div", "pywebio-progress");
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-valuemin", "0");
  bar.setAttribute("aria-label", "Upload progress");
  const fill = h("div", "pywebio-progress-fill");
  const text = h("span", "pywebio-progress-text");
  bar.append(fill, text);
  bar.hidden = true;
  el.append(input, bar);

  let total = 0;
  let acked = 0;
  let waiters: { bytes: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  const files = (): File[] => Array.from(input.files ?? []);
  const showProgress = (received: number): void => {
    bar.hidden = false;
    bar.setAttribute("aria-valuemax", String(total));
    bar.setAttribute("aria-valuenow", String(received));
    fill.style.width = total ? `${Math.min(100, (100 * received) / total)}%` : "100%";
    text.textContent = `${human(received)} / ${human(total)}`;
  };
  const settle = (error?: Error): void => {
    const pending = waiters;
    waiters = [];
    for (const waiter of pending) {
      if (error) waiter.reject(error);
      else if (acked >= waiter.bytes) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  const ackedAtLeast = (bytes: number): Promise<void> =>
    acked >= bytes
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("the upload stalled")), ACK_TIMEOUT_MS);
          waiters.push({
            bytes,
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
            reject: (error) => {
              clearTimeout(timer);
              reject(error);
            },
          });
        });

  input.addEventListener("change", () => {
    showError(null);
    bar.hidden = true;
    const message = control.check();
    if (message) showError(message);
  });

  const control: FileControl = {
    el,
    input,
    descriptors: () =>
      files().map((file) => ({
        filename: file.name,
        size: file.size,
        mime_type: file.type,
        last_modified: file.lastModified,
      })),
    check: () => {
      const chosen = files();
      const maxSize = typeof spec.max_size === "number" ? spec.max_size : 0;
      const maxTotal = typeof spec.max_total_size === "number" ? spec.max_total_size : 0;
      const big = chosen.find((file) => maxSize && file.size > maxSize);
      if (big) return `${big.name} is ${human(big.size)}; the limit is ${human(maxSize)}.`;
      const sum = chosen.reduce((acc, file) => acc + file.size, 0);
      if (maxTotal && sum > maxTotal) {
        return `The files add up to ${human(sum)}; the limit is ${human(maxTotal)}.`;
      }
      return null;
    },
    upload: async (send) => {
      const chosen = files();
      total = chosen.reduce((acc, file) => acc + file.size, 0);
      acked = 0;
      let sent = 0;
      const inFlight: number[] = [];
      if (chosen.length) showProgress(0);
      for (const [index, file] of chosen.entries()) {
        let offset = 0;
        do {
          const end = Math.min(file.size, offset + CHUNK_SIZE);
          const buffer = await file.slice(offset, end).arrayBuffer();
          const oldest = inFlight.length >= WINDOW ? inFlight.shift() : undefined;
          if (oldest !== undefined) await ackedAtLeast(oldest);
          send({ file: index, offset, size: file.size }, buffer);
          sent += end - offset;
          inFlight.push(sent);
          offset = end;
        } while (offset < file.size);
      }
      await ackedAtLeast(sent);
    },
    update: (attrs) => {
      if (typeof attrs.progress === "number") {
        acked = attrs.progress;
        showProgress(acked);
        settle();
      }
      if (typeof attrs.invalid === "string" && attrs.invalid) settle(new Error(attrs.invalid));
    },
    reset: () => {
      input.value = "";
      bar.hidden = true;
    },
  };
  return control;
}
