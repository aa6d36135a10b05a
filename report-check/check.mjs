// Opens pgprop's HTML report in headless Chromium, saves a full-page screenshot, and fails when a
// chart is missing or blank, judged by the pixels of each chart's area.
//
//   node check.mjs <report/index.html> [--screenshot <file.png>] [--require <chart>,<chart>...]
//   node check.mjs --self-test     every page under fixtures/ must be rejected
//
// Checks: every svg.pgprop-chart has a size, at least MIN_INK of its pixels differ from white and
// MIN_COLOUR of them are coloured (grey axes and labels alone do not count as a chart);
// every CSV beside the page (and in ../bench/) that holds a numeric column after the first, and
// isolation-matrix.csv, has a chart whose data-chart starts with the file's name; the page has
// charts when CSVs exist; the page fetches nothing from the network. Charts named with --require
// and in required-charts.txt (data-chart names or their prefixes, one a line) must be on the page
// whether or not their CSV was produced.
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

function parseCsvHeaderAndRows(text) {
  // enough CSV for the check: quoted cells, commas; lines split outside quotes
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell.trim()); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (cell !== '' || row.length) { row.push(cell.trim()); rows.push(row); }
      row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell.trim()); rows.push(row); }
  return rows;
}

const isNum = (s) => s !== '' && /^[-+.\d]/.test(s) && Number.isFinite(Number(s));

/** CSV files whose figures the page must draw: [{ file, prefix }]. */
function expectedCharts(reportDir) {
  const out = [];
  const scan = (dir, prefix) => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.csv')) continue;
      const rows = parseCsvHeaderAndRows(fs.readFileSync(path.join(dir, f), 'utf8'));
      const stem = f.slice(0, -4);
      if (f === 'isolation-matrix.csv' && prefix === '') {
        if (rows.length > 1) out.push({ file: path.join(dir, f), prefix: 'isolation-matrix' });
        continue;
      }
      const data = rows.slice(1);
      const width = rows.length ? rows[0].length : 0;
      let drawable = false;
      for (let c = 1; c < width && !drawable; c++) {
        const cells = data.map((r) => r[c] ?? '').filter((v) => v !== '');
        drawable = cells.length > 0 && cells.every(isNum);
      }
      if (drawable) out.push({ file: path.join(dir, f), prefix: prefix + stem });
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
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const l = line.replace(/#.*/, '').trim();
      if (l) out.push(l);
    }
  }
  return out;
}

async function checkPage(browser, htmlFile, screenshotFile, required = []) {
  const problems = [];
  const lines = [];
  const reportDir = path.dirname(path.resolve(htmlFile));
  const expected = expectedCharts(reportDir);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const fetched = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    fetched.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(path.resolve(htmlFile)).href, { waitUntil: 'load' });
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
    const found = names.filter((nm) => nm === e.prefix || nm.startsWith(e.prefix + '.'));
    lines.push(`${found.length ? 'ok   ' : 'MISSING'} ${path.relative(process.cwd(), e.file)} -> ${found.length ? found.join(', ') : 'no chart'}`);
    if (!found.length) problems.push(`no chart for ${e.file} (expected data-chart="${e.prefix}…")`);
  }
  for (const req of required) {
    const found = names.filter((nm) => nm === req || nm.startsWith(req));
    lines.push(`${found.length ? 'ok   ' : 'MISSING'} required chart ${req} -> ${found.length ? found.join(', ') : 'none on the page'}`);
    if (!found.length) problems.push(`required chart ${req} is not on the page`);
  }
  if (expected.length > 0 && charts.length === 0) problems.push(`the page has no charts, but ${expected.length} CSV files hold figures`);
  if (fetched.length) problems.push(`the page tried to fetch from the network: ${fetched.join(', ')}`);
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
      let bad = 0;
      for (const f of fs.readdirSync(dir).sort()) {
        const html = path.join(dir, f, 'index.html');
        if (!fs.existsSync(html)) continue;
        const r = await checkPage(browser, html, null);
        r.lines.forEach((l) => console.log(`  ${f}: ${l}`));
        if (r.problems.length) {
          console.log(`self-test: fixtures/${f} rejected as it must be:\n${r.problems.map((p) => '    - ' + p).join('\n')}`);
        } else {
          console.log(`self-test: FAIL: fixtures/${f} was accepted, but it has a missing or blank chart`);
          bad++;
        }
      }
      if (bad) process.exit(1);
      console.log('self-test: the check rejects every broken fixture');
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
    console.log(`report-check: passed: ${r.charts} charts drawn, ${r.expected} CSV files covered`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`report-check: could not run the browser check: ${e.stack || e}`);
  process.exit(1);
});
