// Renders an `erd --format svg` diagram in headless Chromium (playwright-core, Debian's
// /usr/bin/chromium) and checks what a reader sees, for the erd browser test:
//
//   node erd-browser.mjs DIAGRAM.svg EXPECT.json SCREENSHOT.png
//
// EXPECT.json: {"tables": [{"name": "customers", "columns": ["customer_id", ..]}],
//               "edges": [{"from": "orders", "to": "customers"}]}
// Each table's name and columns (a line `column type keys..`) must be drawn as text, with a
// width, inside the diagram's canvas, and inside one box (the table's); each edge must be
// drawn as a line from the border of the box of `from` (the referring table) to the border
// of the box of `to`, inside the canvas, and one cardinality label an edge. The
// screenshot is written first, so it is there to look at when a check fails. Every failure
// is printed, one a line, and the exit code is 1; all well: "ok" and exit 0.
import fs from 'fs';
import { chromium } from 'playwright-core';

const [svgPath, expectPath, shotPath] = process.argv.slice(2);
const expect = JSON.parse(fs.readFileSync(expectPath, 'utf8'));
const svgText = fs.readFileSync(svgPath, 'utf8');
const size = svgText.match(/<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/);
if (!size) {
  console.error(`${svgPath}: no <svg width=.. height=..>`);
  process.exit(1);
}
const width = Math.ceil(Number(size[1]));
const height = Math.ceil(Number(size[2]));

// The flags this machine's Chromium needs headless as root, with no network to call home to.
const browser = await chromium.launch({
  executablePath: process.env.RETORT_TEST_CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
let failures;
try {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.setContent(svgText.replace(/^<\?xml[^>]*>/, ''), { waitUntil: 'load' });
  await page.screenshot({ path: shotPath, fullPage: true });
  failures = await page.evaluate((expect) => {
    const out = [];
    const svg = document.querySelector('svg');
    if (!svg) return ['no <svg> element in the page'];
    const canvas = svg.getBoundingClientRect();
    const box = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    const show = (b) => `(${b.left.toFixed(1)},${b.top.toFixed(1)})-(${b.right.toFixed(1)},${b.bottom.toFixed(1)})`;
    const inside = (b, o, slack = 0.5) => b.left >= o.left - slack && b.top >= o.top - slack
      && b.right <= o.right + slack && b.bottom <= o.bottom + slack;
    // A point on (or within `slack` of) the outline of box b: an edge meets its table there,
    // not somewhere inside it over the columns.
    const near = (p, b, slack) => p.x >= b.left - slack && p.x <= b.right + slack
      && p.y >= b.top - slack && p.y <= b.bottom + slack
      && Math.min(p.x - b.left, b.right - p.x, p.y - b.top, b.bottom - p.y) <= slack;
    const visible = (el) => {
      const s = getComputedStyle(el);
      return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0;
    };
    const texts = [...svg.querySelectorAll('text')].map((el) => ({ el, text: el.textContent.trim() }));
    const rects = [...svg.querySelectorAll('rect')].map((el) => box(el.getBoundingClientRect()));
    // The text `text` drawn; with `within`, a line of that box starting with `text `.
    const drawnText = (text, what, within = null) => {
      const found = within === null ? texts.filter((t) => t.text === text)
        : texts.filter((t) => t.text.startsWith(`${text} `)
          && inside(box(t.el.getBoundingClientRect()), within, 1));
      if (found.length === 0) {
        out.push(`${what}: no text "${text}"${within ? ' in its box' : ''} in the diagram`);
        return null;
      }
      const el = found[0].el;
      const b = box(el.getBoundingClientRect());
      if (!visible(el) || b.right - b.left <= 0 || b.bottom - b.top <= 0) {
        out.push(`${what}: "${text}" is not drawn (no size, or hidden)`);
        return null;
      }
      if (!inside(b, canvas)) {
        out.push(`${what}: "${text}" is drawn at ${show(b)}, outside the canvas ${show(canvas)}`);
      }
      return b;
    };
    // A table's box: the largest rectangle holding its name, which must hold its lines too.
    const boxes = new Map();
    for (const t of expect.tables) {
      const name = drawnText(t.name, `table ${t.name}`);
      if (!name) continue;
      const around = rects.filter((r) => inside(name, r, 1));
      if (around.length === 0) {
        out.push(`table ${t.name}: its name is in no box`);
        continue;
      }
      const area = (r) => (r.right - r.left) * (r.bottom - r.top);
      const tableBox = around.reduce((a, b) => (area(b) > area(a) ? b : a));
      if (!inside(tableBox, canvas)) {
        out.push(`table ${t.name}: its box ${show(tableBox)} is outside the canvas ${show(canvas)}`);
      }
      boxes.set(t.name, tableBox);
      for (const column of t.columns) {
        drawnText(column, `table ${t.name}, column ${column}`, tableBox);
      }
    }
    // Edges: paths with a marker at their end (the referenced table's side).
    const paths = [...svg.querySelectorAll('path')].map((el) => {
      const m = el.getScreenCTM();
      const at = (len) => new DOMPoint(el.getPointAtLength(len).x, el.getPointAtLength(len).y).matrixTransform(m);
      return { el, start: at(0), end: at(el.getTotalLength()), bounds: box(el.getBoundingClientRect()) };
    });
    const used = new Set();
    for (const e of expect.edges) {
      const from = boxes.get(e.from);
      const to = boxes.get(e.to);
      if (!from || !to) {
        out.push(`edge ${e.from} -> ${e.to}: a table it joins is not drawn`);
        continue;
      }
      // An edge starts and ends on its tables' boxes, within an arrowhead's length of the border.
      const i = paths.findIndex((p, i) => !used.has(i) && near(p.start, from, 12) && near(p.end, to, 12));
      if (i < 0) {
        out.push(`edge ${e.from} -> ${e.to}: no line drawn from ${e.from}'s box ${show(from)} to ${e.to}'s box ${show(to)}`);
        continue;
      }
      used.add(i);
      const p = paths[i];
      if (!visible(p.el) || p.el.getTotalLength() <= 0) {
        out.push(`edge ${e.from} -> ${e.to}: its line is not drawn`);
      }
      if (!inside(p.bounds, canvas, 1)) {
        out.push(`edge ${e.from} -> ${e.to}: drawn at ${show(p.bounds)}, outside the canvas ${show(canvas)}`);
      }
    }
    // Each edge's label ends with its cardinality, `(0..* : 1)`.
    const labels = texts.filter((t) => /\((0\.\.\*|0\.\.1) : (1|0\.\.1)\)$/.test(t.text));
    for (const l of labels) drawnText(l.text, 'edge label');
    if (labels.length !== expect.edges.length) {
      out.push(`${labels.length} cardinality labels drawn for ${expect.edges.length} edges`);
    }
    if (paths.length !== expect.edges.length) {
      out.push(`${paths.length} lines drawn for ${expect.edges.length} edges`);
    }
    return out;
  }, expect);
} finally {
  await browser.close();
}
if (failures.length > 0) {
  for (const f of failures) console.error(`${svgPath}: ${f}`);
  process.exit(1);
}
console.log('ok');
