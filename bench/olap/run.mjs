// bench/olap: the DuckDB and SQLite side of the cube engine benchmark, the
// cross-check of all three engines' numbers and the final table.
//
//   node bench/olap/run.mjs --data DIR --queries bench/olap/queries.json
//        [--ours DIR/ours.json] [--runs 5] [--only q01,q02] [--report FILE]
//
// DuckDB: in-memory, threads=2, table f loaded from DIR/facts.csv with
// read_csv (load time printed, not counted); per query one warm-up run and
// `runs` timed runs, median. SQLite: DIR/facts.sqlite (built once from the
// same CSV with indexes on the filter columns, then reused; opened read-only
// with a 2 GB page cache and mmap); per query a first run, and when it took
// less than 3 s it counts as warm-up and `runs` timed runs follow (median),
// else the first run is the measurement (a full-scan COUNT(DISTINCT) over
// 30M rows takes tens of seconds and the machine is shared).
// Only the query is timed (statement execution + reading the small result).
// The engines must return the same numbers for every query, else exit 1.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}
const DATA = arg('--data');
const QUERIES = arg('--queries');
const OURS = arg('--ours');
const RUNS = Math.max(1, parseInt(arg('--runs', '5'), 10));
const ONLY = arg('--only', '');
const REPORT = arg('--report');
if (!DATA || !QUERIES) {
  console.error('usage: node run.mjs --data DIR --queries FILE [--ours FILE] [--runs N] [--only q01,q02] [--report FILE]');
  process.exit(2);
}
const CSV = path.join(DATA, 'facts.csv');
if (!fs.existsSync(CSV)) {
  console.error(`missing ${CSV} (run: olap_bench gen --out ${DATA})`);
  process.exit(2);
}
const onlySet = new Set(ONLY.split(',').filter(Boolean));
const queries = JSON.parse(fs.readFileSync(QUERIES, 'utf8')).queries.filter(q => !onlySet.size || onlySet.has(q.name));
const log = (...a) => console.error(...a);

// The engine's quarter member code for (year, quarter 1..4): the SQL tables
// carry it as a column so both sides group by the same code.
const quarterCode = (y, q) => `${y}Q${q}`;

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- DuckDB ---------------------------------------------------------------
async function runDuckDB() {
  const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await inst.connect();
  // Code columns as ENUMs over their code sets (dictionary-encoded, one byte,
  // as our cube stores member ids); quarter codes for 2016..2025.
  const en = xs => `ENUM (${xs.map(x => `'${x}'`).join(', ')})`;
  const quarters = [];
  for (let y = 2016; y <= 2025; y++) for (let q = 1; q <= 4; q++) quarters.push(quarterCode(y, q));
  await conn.run(`CREATE TYPE status_t AS ${en(['paid', 'due', 'refunded', 'suspended'])};
    CREATE TYPE age_t AS ${en(['lt16', '16-29', '30-39', '40-49', '50-59', '60-69', 'ge70'])};
    CREATE TYPE industry_t AS ${en([...'ABCDEFGHIJKLMNOPQRST', '-'])};
    CREATE TYPE unit_type_t AS ${en(['enterprise', 'institution', 'organ', 'individual', 'other', '-'])};
    CREATE TYPE domain_t AS ${en(['jubao', 'shebao', 'jibao', 'jiuye', 'jiancha', 'dangan', 'renshi'])};
    CREATE TYPE quarter_t AS ${en(quarters)};`);
  const t0 = performance.now();
  await conn.run(`CREATE TABLE f AS SELECT
      person, township, township // 1000 AS county, CAST(month // 100 AS SMALLINT) AS year,
      CAST(CAST(month // 100 AS VARCHAR) || 'Q' || CAST((month % 100 + 2) // 3 AS VARCHAR) AS quarter_t) AS quarter,
      month, ins_type,
      CAST(CASE ins_type WHEN 170 THEN 'jubao' WHEN 120 THEN 'jibao' ELSE 'shebao' END AS domain_t) AS scheme,
      CAST(status AS status_t) AS status, gender, CAST(age_band AS age_t) AS age_band,
      CAST(industry AS industry_t) AS industry, CAST(unit_type AS unit_type_t) AS unit_type,
      CAST(domain AS domain_t) AS domain,
      personal + unit + subsidy AS amount, personal, unit AS unit_part, subsidy
    FROM read_csv('${CSV.replaceAll("'", "''")}', header = true, delim = ',', columns = {
      'person': 'BIGINT', 'township': 'INTEGER', 'month': 'INTEGER', 'ins_type': 'SMALLINT',
      'status': 'VARCHAR', 'gender': 'TINYINT', 'age_band': 'VARCHAR', 'industry': 'VARCHAR',
      'unit_type': 'VARCHAR', 'domain': 'VARCHAR', 'personal': 'BIGINT', 'unit': 'BIGINT', 'subsidy': 'BIGINT'})`);
  const loadMs = performance.now() - t0;
  const cnt = (await conn.runAndReadAll('SELECT COUNT(*) FROM f')).getRowsJS()[0][0];
  const mem = (await conn.runAndReadAll(
    "SELECT SUM(memory_usage_bytes) FROM duckdb_memory()")).getRowsJS()[0][0];
  log(`duckdb: loaded ${cnt} rows in ${(loadMs / 1000).toFixed(1)} s, buffer memory ${(Number(mem) / 1e6).toFixed(0)} MB`);
  const out = {};
  for (const q of queries) {
    const times = [], cpu = [];
    let rows;
    for (let i = 0; i <= RUNS; i++) {
      const c0 = process.cpuUsage();
      const t = performance.now();
      const r = await conn.runAndReadAll(q.sql);
      rows = r.getRowsJS();
      const ms = performance.now() - t;
      const c = process.cpuUsage(c0);
      if (i > 0) { times.push(ms); cpu.push((c.user + c.system) / 1000); }
    }
    out[q.name] = { ms: median(times), cpuMs: median(cpu), runs: times, rows };
    log(`duckdb: ${q.name.padEnd(30)} median ${median(times).toFixed(2).padStart(9)} ms, CPU ${median(cpu).toFixed(2)} ms`);
  }
  conn.closeSync();
  inst.closeSync();
  return { loadMs, rows: Number(cnt), memBytes: Number(mem), queries: out };
}

// ---- SQLite ---------------------------------------------------------------
const SQLITE_COLS = 'person, township, county, year, quarter, month, ins_type, scheme, status, gender, age_band, ' +
  'industry, unit_type, domain, amount, personal, unit_part, subsidy';

async function buildSqlite(file) {
  const tmp = file + '.tmp';
  fs.rmSync(tmp, { force: true });
  const t0 = performance.now();
  const db = new Database(tmp);
  db.pragma('page_size = 8192');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.exec(`CREATE TABLE f (person INTEGER NOT NULL, township INTEGER NOT NULL, county INTEGER NOT NULL,
    year INTEGER NOT NULL, quarter TEXT NOT NULL, month INTEGER NOT NULL, ins_type INTEGER NOT NULL,
    scheme TEXT NOT NULL, status TEXT NOT NULL, gender INTEGER NOT NULL, age_band TEXT NOT NULL,
    industry TEXT NOT NULL, unit_type TEXT NOT NULL, domain TEXT NOT NULL, amount INTEGER NOT NULL,
    personal INTEGER NOT NULL, unit_part INTEGER NOT NULL, subsidy INTEGER NOT NULL)`);
  const ins = db.prepare(`INSERT INTO f (${SQLITE_COLS}) VALUES (${Array(18).fill('?').join(',')})`);
  const insertMany = db.transaction(lines => {
    for (const line of lines) {
      const c = line.split(',');
      const month = +c[2], year = Math.floor(month / 100), ins_type = +c[3];
      const personal = +c[10], unit = +c[11], subsidy = +c[12];
      ins.run(+c[0], +c[1], Math.floor(+c[1] / 1000), year, quarterCode(year, Math.floor((month % 100 + 2) / 3)),
        month, ins_type, ins_type === 170 ? 'jubao' : ins_type === 120 ? 'jibao' : 'shebao', c[4], +c[5], c[6],
        c[7], c[8], c[9], personal + unit + subsidy, personal, unit, subsidy);
    }
  });
  let rest = '', header = true, n = 0, pending = [];
  for await (const chunk of fs.createReadStream(CSV, { encoding: 'utf8', highWaterMark: 8 << 20 })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    if (header) { lines.shift(); header = false; }
    for (const l of lines) if (l) pending.push(l);
    if (pending.length >= 200000) { insertMany(pending); n += pending.length; pending = []; }
  }
  if (rest) pending.push(rest);
  insertMany(pending); n += pending.length;
  const loadMs = performance.now() - t0;
  log(`sqlite: inserted ${n} rows in ${(loadMs / 1000).toFixed(1)} s; creating indexes ...`);
  const t1 = performance.now();
  db.exec(`CREATE INDEX f_year ON f(year);
           CREATE INDEX f_month ON f(month);
           CREATE INDEX f_township_year ON f(township, year);
           CREATE INDEX f_scheme_year ON f(scheme, year);
           ANALYZE;`);
  log(`sqlite: indexes + ANALYZE in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  db.close();
  fs.renameSync(tmp, file);
  return { buildMs: performance.now() - t0 };
}

async function runSqlite() {
  const file = path.join(DATA, 'facts.sqlite');
  let built = null;
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < fs.statSync(CSV).mtimeMs) {
    fs.rmSync(file, { force: true });
    built = await buildSqlite(file);
  }
  const db = new Database(file, { readonly: true });
  db.pragma('cache_size = -2000000');
  db.pragma('mmap_size = 8000000000');
  db.pragma('temp_store = MEMORY');
  const cnt = db.prepare('SELECT COUNT(*) FROM f').pluck().get();
  log(`sqlite: ${file} (${(fs.statSync(file).size / 1e6).toFixed(0)} MB), ${cnt} rows`);
  const out = {};
  for (const q of queries) {
    const st = db.prepare(q.sql).raw(true).safeIntegers(true);
    const times = [], cpu = [];
    let rows;
    let c0 = process.cpuUsage();
    let t = performance.now();
    rows = st.all();
    const first = performance.now() - t;
    const c = process.cpuUsage(c0);
    if (first >= 3000) {
      times.push(first);
      cpu.push((c.user + c.system) / 1000);
    } else {
      for (let i = 0; i < RUNS; i++) {
        c0 = process.cpuUsage();
        t = performance.now();
        rows = st.all();
        times.push(performance.now() - t);
        const c1 = process.cpuUsage(c0);
        cpu.push((c1.user + c1.system) / 1000);
      }
    }
    out[q.name] = { ms: median(times), cpuMs: median(cpu), runs: times, rows };
    log(`sqlite: ${q.name.padEnd(30)} median ${median(times).toFixed(2).padStart(9)} ms (${times.length} run${times.length > 1 ? 's' : ''})`);
  }
  db.close();
  return { built, rows: Number(cnt), queries: out };
}

// ---- normalization and verification ---------------------------------------
const num = v => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
};
const isEmpty = vals => vals.every(v => v === null || v === 0);

// SQL rows: [keys..., measures..., (prev measures...)] → tuples of strings and numbers.
function normSql(q, rows) {
  const k = q.keys, m = q.measures;
  const out = [];
  for (const r of rows) {
    const t = [...r.slice(0, k).map(String), ...r.slice(k).map(num)];
    if (t.length !== k + m * (q.prev ? 2 : 1)) throw new Error(`${q.name}: SQL returned ${t.length} columns`);
    if (isEmpty(t.slice(k, k + m))) continue;
    out.push(t);
  }
  return q.ordered ? out : sortTuples(out, k);
}

// Our response: cells[r][c][m] (+ prev) → the same tuples.
function normOurs(q, res) {
  const rows = res.rows && res.rows.length ? res.rows : [{ keys: [] }];
  const cols = res.columns && res.columns.length ? res.columns : [{ keys: [] }];
  const out = [];
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < cols.length; c++) {
      const cell = res.cells?.[r]?.[c];
      if (!cell) continue;
      const vals = cell.map(num);
      if (isEmpty(vals)) continue;
      const t = [...rows[r].keys.map(x => String(x.code)), ...cols[c].keys.map(x => String(x.code)), ...vals];
      if (q.prev) t.push(...(res.prev?.[r]?.[c] ?? Array(q.measures).fill(null)).map(num));
      if (t.length !== q.keys + q.measures * (q.prev ? 2 : 1))
        throw new Error(`${q.name}: our result has ${t.length} values per cell, expected ${q.keys + q.measures * (q.prev ? 2 : 1)}`);
      out.push(t);
    }
  }
  return q.ordered ? out : sortTuples(out, q.keys);
}

function sortTuples(ts, k) {
  const key = t => t.slice(0, k).join('\u0001');
  return ts.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function sameValue(a, b) {
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return String(a) === String(b);
  if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function diff(name, a, b, la, lb) {
  const problems = [];
  if (a.length !== b.length) problems.push(`${la} has ${a.length} cells, ${lb} has ${b.length}`);
  for (let i = 0; i < Math.max(a.length, b.length) && problems.length < 6; i++) {
    const x = a[i], y = b[i];
    if (!x || !y || x.length !== y.length || x.some((v, j) => !sameValue(v, y[j])))
      problems.push(`cell ${i}: ${la} ${JSON.stringify(x)} vs ${lb} ${JSON.stringify(y)}`);
  }
  return problems.map(p => `${name}: ${p}`);
}

// ---- main -----------------------------------------------------------------
const ours = OURS && fs.existsSync(OURS) ? JSON.parse(fs.readFileSync(OURS, 'utf8')) : null;
if (OURS && !ours) log(`(no ${OURS}: our engine's column stays empty)`);
const duck = await runDuckDB();
const lite = await runSqlite();

const failures = [];
const table = [];
for (const q of queries) {
  const d = duck.queries[q.name], s = lite.queries[q.name];
  const o = ours?.queries.find(x => x.name === q.name);
  const nd = normSql(q, d.rows), ns = normSql(q, s.rows);
  failures.push(...diff(q.name, nd, ns, 'DuckDB', 'SQLite'));
  if (nd.length === 0) failures.push(`${q.name}: empty result (the query tests nothing)`);
  if (ours) {
    if (!o) failures.push(`${q.name}: missing from ${OURS}`);
    else failures.push(...diff(q.name, normOurs(q, o.result), nd, 'ours', 'DuckDB'));
  }
  table.push({ name: q.name, ours: o?.ms ?? null, duck: d.ms, lite: s.ms, cells: nd.length,
    oursCpu: o?.cpuMs ?? null, duckCpu: d.cpuMs, liteCpu: s.cpuMs });
}

const f = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));
const line = cols => cols.map((c, i) => (i === 0 ? String(c).padEnd(32) : String(c).padStart(11))).join(' | ');
const med = xs => (xs.length ? median(xs) : null);

// One table per metric: wall time (the target) and process CPU time (less
// sensitive to the neighbours on a shared machine).
function printTable(title, o, d, s) {
  console.log('');
  console.log(title);
  console.log(line(['query', 'ours ms', 'DuckDB ms', 'SQLite ms', 'ours/DuckDB', 'SQLite/ours', 'cells']));
  console.log('-'.repeat(32 + 6 * 14));
  for (const t of table) {
    console.log(line([t.name, f(t[o]), f(t[d]), f(t[s]), t[o] ? f(t[o] / t[d]) : '-', t[o] ? f(t[s] / t[o], 1) : '-', t.cells]));
  }
  console.log('-'.repeat(32 + 6 * 14));
  const mO = ours ? med(table.map(t => t[o]).filter(v => v !== null)) : null;
  const mD = med(table.map(t => t[d])), mS = med(table.map(t => t[s]));
  const rOD = ours ? med(table.filter(t => t[o] !== null).map(t => t[o] / t[d])) : null;
  const rSO = ours ? med(table.filter(t => t[o] !== null).map(t => t[s] / t[o])) : null;
  console.log(line(['median', f(mO), f(mD), f(mS), mO ? f(mO / mD) : '-', mO ? f(mS / mO, 1) : '-', '']));
  console.log(line(['median of per-query ratios', '', '', '', f(rOD), f(rSO, 1), '']));
  return { ours: mO, duckdb: mD, sqlite: mS, oursOverDuck: rOD, sqliteOverOurs: rSO,
    oursOverDuckMedians: mO ? mO / mD : null, sqliteOverOursMedians: mO ? mS / mO : null };
}
const wall = printTable('wall time (median of runs):', 'ours', 'duck', 'lite');
const cpu = printTable('process CPU time, all threads (median of runs):', 'oursCpu', 'duckCpu', 'liteCpu');
console.log('');
if (ours) {
  const okD = wall.oursOverDuckMedians <= 1.0 && wall.oursOverDuck <= 1.0;
  const okS = wall.sqliteOverOursMedians >= 50 && wall.sqliteOverOurs >= 50;
  console.log(`target ours ≤ 1.0× DuckDB (wall: median times ${f(wall.oursOverDuckMedians)}×, median ratio ${f(wall.oursOverDuck)}×; ` +
    `CPU: ${f(cpu.oursOverDuckMedians)}×, ${f(cpu.oursOverDuck)}×): ${okD ? 'MET' : 'NOT MET'}`);
  console.log(`target SQLite/ours ≥ 50× (wall: median times ${f(wall.sqliteOverOursMedians, 1)}×, median ratio ${f(wall.sqliteOverOurs, 1)}×; ` +
    `CPU: ${f(cpu.sqliteOverOursMedians, 1)}×, ${f(cpu.sqliteOverOurs, 1)}×): ${okS ? 'MET' : 'NOT MET'}`);
  const b = ours.build;
  console.log(`ours: cube build ${(b.ms / 1000).toFixed(1)} s for ${b.rows} rows (CSV parse ${(b.parseMs / 1000).toFixed(1)} s, ` +
    `Apply ${(b.applyMs / 1000).toFixed(1)} s, ${b.batches} batches); Stats().bytes ${(b.bytes / 1e6).toFixed(0)} MB; ` +
    `RSS ${(b.rssKb / 1e3).toFixed(0)} MB after build (${(b.rssBeforeKb / 1e3).toFixed(0)} MB before, peak ${(b.peakRssKb / 1e3).toFixed(0)} MB); ` +
    `threads=${ours.threads}`);
} else {
  console.log('ours: not run (engine not built) — DuckDB and SQLite only');
}
console.log(`DuckDB: load ${(duck.loadMs / 1000).toFixed(1)} s, ${(duck.memBytes / 1e6).toFixed(0)} MB; threads=2, ${RUNS} timed runs after a warm-up`);
console.log(`SQLite: ${lite.built ? `built in ${(lite.built.buildMs / 1000).toFixed(1)} s, ` : ''}file ${path.join(DATA, 'facts.sqlite')}, indexes on year, month, (township, year), (scheme, year)`);
console.log(`machine: load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at the end (shared)`);

if (REPORT) {
  fs.writeFileSync(REPORT, JSON.stringify({ runs: RUNS, build: ours?.build ?? null, duckdb: { loadMs: duck.loadMs, memBytes: duck.memBytes },
    table, wall, cpu, failures }, null, 1));
}
if (failures.length) {
  console.log('');
  console.log(`VERIFY FAILED: ${failures.length} mismatch(es) between engines:`);
  for (const x of failures.slice(0, 40)) console.log('  ' + x);
  process.exit(1);
}
console.log(`verified: ${ours ? 'ours, DuckDB and SQLite' : 'DuckDB and SQLite'} return the same numbers for all ${queries.length} queries`);
