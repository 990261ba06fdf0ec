// Images and downloads (pywebio_nb/output/_media.py).

import { safeUrl } from "../sanitize";
import type { FileBody, ImageBody } from "../protocol";
import { h, register } from "./registry";

register<ImageBody>("image", (spec) => {
  const img = h("img", "pywebio-image");
  img.src = safeUrl(String(spec.src ?? ""));
  img.alt = String(spec.title ?? "");
  if (spec.title) img.title = String(spec.title);
  if (typeof spec.width === "string") img.style.width = spec.width;
  if (typeof spec.height === "string") img.style.height = spec.height;
  return img;
});

function decodeBase64(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

register<FileBody>("file", (spec) => {
  const a = h("a", "pywebio-file", String(spec.label ?? spec.name ?? "download"));
  a.href = "#";
  a.download = String(spec.name ?? "download");
  a.setAttribute("role", "button");
  a.addEventListener("click", () => {
    // Build the blob on first click, before the browser follows the link.
    if (a.href.startsWith("blob:")) return;
    const blob = new Blob([decodeBase64(String(spec.data ?? ""))], {
      type: String(spec.mime ?? "application/octet-stream"),
    });
    a.href = URL.createObjectURL(blob);
  });
  return a;
});
