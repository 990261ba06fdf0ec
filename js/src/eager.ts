// Makes the content modules available at once: the notebook widget bundles them, so markdown,
// code and sanitized HTML render while the kernel is busy. (The code editor is not here.)

import * as highlightModule from "./rich/highlight";
import * as markdownModule from "./rich/markdown";
import * as purifyModule from "./rich/purify";
import * as templateModule from "./rich/template";
import { highlight, markdown, purify, template } from "./lazy";

highlight.provide(highlightModule);
markdown.provide(markdownModule);
purify.provide(purifyModule);
template.provide(templateModule);
