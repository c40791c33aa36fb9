// Text from the spec inside the Markdown tables synth generates (the README, dist/docs).

/** One table cell: a `|` would end the cell, and `<`, `>` would open HTML (a GPU model `<script>…`, a repository URL) where a renderer allows it. */
export const markdownCell = (text: string | number): string => String(text).replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
