// Inlined into the standalone page's <head> (static/boot.js, see js/build.mjs): opens the
// session's WebSocket before the stylesheet and page.js have loaded. Failing here only means
// page.ts opens the socket itself.

import { openEarly } from "./page-socket";

try {
  openEarly();
} catch (error) {
  console.error("pywebio_nb: could not open the page's socket early", error);
}
