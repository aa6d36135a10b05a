// Opens pgprop's HTML report in headless Chromium, saves a full-page screenshot, and fails when a
// chart is missing, blank, or says nothing, judged by its pixels and by what it declares.
//
//   node check.mjs <report/index.html> [--screenshot <file.png>] [--require <chart>,<chart>...] [--only-declared]
//                                  (--only-declared: required-charts.txt, the main job's list, does not apply)
//   node check.mjs --self-test     fixtures/good-* must pass; every other fixture must be rejected,
//                                  for the reason its expect.txt names
//
// Checks, per svg.pgprop-chart: it has a size; at least MIN_INK of its pixels differ from white and
// MIN_COLOUR are coloured (grey axes and labels alone do not count); it names its spec (data-spec,
// a <name>.figure.json beside the page or in ../bench/ that exists); its data-kind is line, bar or
// matrix; the series drawn (g.series) match data-series-count and data-points; a line series has
// at least 2 points, a bar chart at least 2 bars; the x and y axes have titles (text.x-title,
// text.y-title); every legend entry (g.legend-item) has a drawn series; no plotted column
// (data-y) is one of the figure's parameters (data-params). Per page: every chart a spec declares
// is drawn; no <script>, no inline event handler, no javascript: URL; nothing is fetched, neither
// from the network nor file: URLs outside the report's directory. Charts named with --require and
// in required-charts.txt (data-chart names or their prefixes, one a line) must be on the page.
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MIN_INK = 0.005; // share of a chart's pixels that must not be background
const MIN_COLOUR = 0.001; // share that must be in colour (series, bars, cells), not only grey axes and text
const CHROMIUM = process.env.PGPROP_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The charts the figure specs beside the page (report/) and in ../bench/ declare: [{ spec, id }]. */
function declaredCharts(reportDir) {
  const out = [];
  const scan = (dir, prefix) => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.figure.json')) continue;
      const name = f.slice(0, -'.figure.json'.length);
      if (!fs.existsSync(path.join(dir, name + '.csv'))) continue;
      let spec;
      try {
        spec = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      } catch (e) {
        out.push({ spec: path.join(dir, f), id: null, error: `unreadable spec: ${e.message}` });
        continue;
      }
      for (const c of spec.charts || []) out.push({ spec: path.join(dir, f), id: `${prefix}${name}.${c.id}` });
    }
  };
  scan(reportDir, '');
  scan(path.join(reportDir, '..', 'bench'), 'bench-');
  return out;
}

function requiredCharts(argv) {
  const out = [];
  const ri = argv.indexOf('--require');
  if (ri >= 0 && argv[ri + 1]) out.push(...argv[ri + 1].split(',').map((s) => s.trim()).filter(Boolean));
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'required-charts.txt');
  if (fs.existsSync(file) && !argv.includes('--only-declared')) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const l = line.replace(/#.*/, '').trim();
      if (l) out.push(l);
    }
  }
  return out;
}

/** What a chart declares and what it draws, read from its DOM. */
async function anatomy(chart) {
  return chart.evaluate((svg) => {
    const attr = (n) => svg.getAttribute(n);
    const series = [...svg.querySelectorAll('g.series')].map((g) => ({
      index: g.getAttribute('data-series'),
      label: g.getAttribute('data-label') || '',
      declared: Number(g.getAttribute('data-points')),
      marks: g.querySelectorAll('circle.point, rect.bar, rect.cell').length,
    }));
    const legend = [...svg.querySelectorAll('g.legend-item')].map((g) => ({
      index: g.getAttribute('data-series'), text: (g.textContent || '').trim(),
    }));
    const title = (sel) => { const t = svg.querySelector(sel); return t ? (t.textContent || '').trim() : ''; };
    return {
      spec: attr('data-spec'), kind: attr('data-kind'), seriesCount: attr('data-series-count'), points: attr('data-points'),
      y: (attr('data-y') || '').split(',').filter(Boolean), params: (attr('data-params') || '').split(',').filter(Boolean),
      series, legend, xTitle: title('text.x-title'), yTitle: title('text.y-title'),
    };
  });
}

/** Problems with what the chart says, from its anatomy; the spec file is resolved against the output directory. */
function meaning(name, a, outputDir) {
  const p = [];
  if (!a.spec) p.push(`chart ${name}: no spec (data-spec missing): a chart is drawn only as a figure declares it`);
  else if (!fs.existsSync(path.join(outputDir, a.spec))) p.push(`chart ${name}: its spec ${a.spec} does not exist`);
  if (!['line', 'bar', 'matrix'].includes(a.kind)) p.push(`chart ${name}: unknown kind '${a.kind}'`);
  const declared = (a.points || '').split(',').filter((s) => s !== '').map(Number);
  if (String(a.series.length) !== a.seriesCount) {
    p.push(`chart ${name}: data-series-count says ${a.seriesCount}, ${a.series.length} series drawn`);
  }
  if (declared.length !== a.series.length || a.series.some((s, i) => s.marks !== declared[i] || s.marks !== s.declared)) {
    p.push(`chart ${name}: data-points says ${a.points}, drawn ${a.series.map((s) => s.marks).join(',')}`);
  }
  if (a.series.length === 0) p.push(`chart ${name}: no series drawn`);
  if (a.kind === 'line') {
    for (const s of a.series) {
      if (s.marks < 2) p.push(`chart ${name}: line series '${s.label}' has ${s.marks} point(s); a line needs at least 2 x values`);
    }
  }
  if (a.kind === 'bar') {
    const bars = a.series.reduce((n, s) => n + s.marks, 0);
    if (bars < 2) p.push(`chart ${name}: bar chart with ${bars} bar(s); at least 2 are needed to compare anything`);
  }
  if (!a.xTitle) p.push(`chart ${name}: unlabelled x axis (no text.x-title)`);
  if (!a.yTitle) p.push(`chart ${name}: unlabelled y axis (no text.y-title)`);
  for (const l of a.legend) {
    const s = a.series.find((x) => x.index === l.index);
    if (!s || s.marks === 0) p.push(`chart ${name}: legend entry '${l.text}' has no drawn series`);
  }
  for (const y of a.y) {
    if (a.params.includes(y)) p.push(`chart ${name}: plots '${y}', which its figure declares a parameter`);
  }
  return p;
}

async function checkPage(browser, htmlFile, screenshotFile, required = []) {
  const problems = [];
  const lines = [];
  const reportDir = path.dirname(path.resolve(htmlFile));
  const outputDir = path.dirname(reportDir);
  const expected = declaredCharts(reportDir);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const fetched = [];
  const pageUrl = pathToFileURL(path.resolve(htmlFile)).href;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pageUrl || url.startsWith('data:')) return route.continue();
    if (url.startsWith('file:')) {
      const f = fileURLToPath(url);
      if (f.startsWith(reportDir + path.sep)) return route.continue();
      fetched.push(`${url} (a file outside the report)`);
      return route.abort();
    }
    fetched.push(url);
    return route.abort();
  });
  await page.goto(pageUrl, { waitUntil: 'load' });
  const active = await page.evaluate(() => {
    const out = [];
    document.querySelectorAll('script').forEach(() => out.push('a <script> element'));
    for (const el of document.querySelectorAll('*')) {
      for (const at of el.attributes) {
        if (/^on/i.test(at.name)) out.push(`an inline handler ${at.name} on <${el.tagName.toLowerCase()}>`);
        if (/^\s*javascript:/i.test(at.value)) out.push(`a javascript: URL in ${at.name}`);
      }
    }
    return out;
  });
  if (screenshotFile) {
    await page.screenshot({ path: screenshotFile, fullPage: true });
    lines.push(`screenshot: ${screenshotFile}`);
  }
  const charts = await page.locator('svg.pgprop-chart').all();
  const names = [];
  for (const chart of charts) {
    const name = (await chart.getAttribute('data-chart')) || '(unnamed)';
    names.push(name);
    const box = await chart.boundingBox();
    if (!box || box.width < 20 || box.height < 20) {
      problems.push(`chart ${name}: not visible (box ${JSON.stringify(box)})`);
      continue;
    }
    const a = await anatomy(chart);
    const said = meaning(name, a, outputDir);
    problems.push(...said);
    lines.push(`${said.length ? 'EMPTY' : 'ok   '} chart ${name}: ${a.kind}, ${a.series.length} series, points ${a.points}, x "${a.xTitle}", y "${a.yTitle}"`);
    const png = PNG.sync.read(await chart.screenshot());
    let ink = 0, colour = 0;
    const n = png.width * png.height;
    for (let i = 0; i < n; i++) {
      const r = png.data[4 * i], g = png.data[4 * i + 1], b = png.data[4 * i + 2];
      if (Math.max(255 - r, 255 - g, 255 - b) > 24) ink++;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) colour++;
    }
    const share = ink / n, coloured = colour / n;
    const ok = share >= MIN_INK && coloured >= MIN_COLOUR;
    lines.push(`${ok ? 'ok   ' : 'BLANK'} chart ${name}: ${png.width}x${png.height} px, ${(100 * share).toFixed(2)} % drawn, ${(100 * coloured).toFixed(2)} % in colour`);
    if (share < MIN_INK) problems.push(`chart ${name}: blank (${(100 * share).toFixed(2)} % of its pixels drawn, at least ${100 * MIN_INK} % needed)`);
    else if (coloured < MIN_COLOUR) problems.push(`chart ${name}: only grey axes and text (${(100 * coloured).toFixed(2)} % in colour, at least ${100 * MIN_COLOUR} % needed)`);
  }
  for (const e of expected) {
    if (e.error) { problems.push(`${e.spec}: ${e.error}`); continue; }
    const found = names.includes(e.id);
    lines.push(`${found ? 'ok   ' : 'MISSING'} ${path.relative(process.cwd(), e.spec)} -> ${found ? e.id : 'not drawn'}`);
    if (!found) problems.push(`chart ${e.id}, declared in ${e.spec}, is not on the page`);
  }
  for (const req of required) {
    const found = names.filter((nm) => nm === req || nm.startsWith(req));
    lines.push(`${found.length ? 'ok   ' : 'MISSING'} required chart ${req} -> ${found.length ? found.join(', ') : 'none on the page'}`);
    if (!found.length) problems.push(`required chart ${req} is not on the page`);
  }
  if (active.length) problems.push(`the page holds script: ${[...new Set(active)].join(', ')}`);
  if (fetched.length) problems.push(`the page tried to fetch: ${fetched.join(', ')}`);
  await page.close();
  return { charts: charts.length, expected: expected.length, problems, lines };
}

async function main() {
  const argv = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    if (argv[0] === '--self-test') {
      const here = path.dirname(fileURLToPath(import.meta.url));
      const dir = path.join(here, 'fixtures');
      let bad = 0, good = 0, broken = 0;
      for (const f of fs.readdirSync(dir).sort()) {
        const html = path.join(dir, f, 'report', 'index.html');
        if (!fs.existsSync(html)) continue;
        const r = await checkPage(browser, html, null);
        r.lines.forEach((l) => console.log(`  ${f}: ${l}`));
        if (f.startsWith('good')) {
          good++;
          if (r.problems.length) {
            console.log(`self-test: FAIL: fixtures/${f} must pass, but:\n${r.problems.map((p) => '    - ' + p).join('\n')}`);
            bad++;
          } else {
            console.log(`self-test: fixtures/${f} passes as it must`);
          }
          continue;
        }
        broken++;
        const expectFile = path.join(dir, f, 'expect.txt');
        const expect = fs.existsSync(expectFile) ? fs.readFileSync(expectFile, 'utf8').trim() : '';
        if (!r.problems.length) {
          console.log(`self-test: FAIL: fixtures/${f} was accepted, but it is broken (${expect || 'see the fixture'})`);
          bad++;
        } else if (expect && !r.problems.some((p) => p.includes(expect))) {
          console.log(`self-test: FAIL: fixtures/${f} was rejected, but not for "${expect}":\n${r.problems.map((p) => '    - ' + p).join('\n')}`);
          bad++;
        } else {
          console.log(`self-test: fixtures/${f} rejected as it must be:\n${r.problems.map((p) => '    - ' + p).join('\n')}`);
        }
      }
      if (bad || !good || !broken) {
        if (!good || !broken) console.log('self-test: FAIL: the fixtures need a good-* page and broken ones');
        process.exit(1);
      }
      console.log(`self-test: ${good} good fixture(s) pass, ${broken} broken fixture(s) are rejected for their reason`);
      return;
    }
    const file = argv[0];
    if (!file || !fs.existsSync(file)) {
      console.error(`report-check: no report at ${file}; did the tests of the properties module run?`);
      process.exit(1);
    }
    const si = argv.indexOf('--screenshot');
    const shot = si >= 0 ? argv[si + 1] : path.join(path.dirname(file), 'screenshot.png');
    const r = await checkPage(browser, file, shot, requiredCharts(argv));
    r.lines.forEach((l) => console.log(`report-check: ${l}`));
    if (r.problems.length) {
      console.error(`report-check: FAILED, ${r.problems.length} problem(s):\n${r.problems.map((p) => '  - ' + p).join('\n')}`);
      process.exit(1);
    }
    console.log(`report-check: passed: ${r.charts} charts drawn, ${r.expected} declared charts present`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`report-check: could not run the browser check: ${e.stack || e}`);
  process.exit(1);
});
