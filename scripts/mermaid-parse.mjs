// Parses a Mermaid diagram with Mermaid's own parser (the npm package), for the `erd` tests:
//   node mermaid-parse.mjs FILE   -> prints the diagram type, exit 0; a parse error, exit 1.
// scripts/test.sh copies it beside the mermaid package it installs, where `import` finds it.
import fs from 'fs';
import mermaid from 'mermaid';

const text = fs.readFileSync(process.argv[2], 'utf8');
try {
  const parsed = await mermaid.parse(text);
  console.log(parsed.diagramType);
} catch (e) {
  console.error(`${process.argv[2]}: ${e.message || e}`);
  process.exit(1);
}
