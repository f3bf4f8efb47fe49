// Gives the wasm imports and exports that wasm-bindgen names short names, in
// the .wasm and in its JS glue alike:
//
//   node scripts/wasm-names.mjs pkg/cognito_wasm.js pkg/cognito_wasm_bg.wasm
//
// wasm-bindgen names each import after its JS function plus a 16-digit hash
// (`__wbg_get_193543d0cb050436`) and each export after its Rust item
// (`cognitoauth_importSession`); each name is written in the .wasm and again
// in the glue, and the hashes do not compress: short names save about 1.8 KB
// gzip per module. The imports become `a`, `b`, ..., their modules too, and
// the exports `a`, `b`, ... but `memory` (which the benchmark reads).
//
// The glue is otherwise left as wasm-bindgen writes it, but for one line:
// its export list also exports the imports object and the step that keeps
// the instance, so that the package's one loader (js/loader.js) can
// instantiate every module the same way (and bundlers drop wasm-bindgen's
// own loader).
//
// The patterns below are those of wasm-bindgen 0.2.130's output for
// `--target web` (the crate and the CLI are pinned to it, as is the
// toolchain in rust-toolchain.toml). Each must match as expected, or this
// fails naming what to update: a wasm-bindgen upgrade stops the build here.
import { readFileSync, writeFileSync } from 'node:fs';

const [gluePath, wasmPath] = process.argv.slice(2);
if (!gluePath || !wasmPath) throw new Error('usage: node scripts/wasm-names.mjs GLUE.js MODULE_bg.wasm');
const WASM_BINDGEN = '0.2.130';
const fail = (message) => {
  throw new Error(
    `scripts/wasm-names.mjs: ${message}. This script rewrites wasm-bindgen ${WASM_BINDGEN}'s output; after a wasm-bindgen upgrade, update its patterns to the new glue (and WASM_BINDGEN here, Cargo.toml's pin and rust-toolchain.toml together).`,
  );
};

/** a, b, ..., z, A, ..., Z, aa, ab, ...: short, and all valid JS names. */
function shortName(index) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  for (let i = index; ; i = Math.floor(i / letters.length) - 1) {
    name = letters[i % letters.length] + name;
    if (i < letters.length) return name;
  }
}

// ---- The .wasm: only the names in the import (2) and export (7) sections change.

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }
  byte() {
    if (this.at >= this.bytes.length) fail(`${wasmPath}: ends inside a section`);
    return this.bytes[this.at++];
  }
  uleb() {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  }
  take(length) {
    if (this.at + length > this.bytes.length) fail(`${wasmPath}: ends inside a section`);
    this.at += length;
    return this.bytes.subarray(this.at - length, this.at);
  }
  name() {
    return this.take(this.uleb()).toString('utf8');
  }
  limits() {
    const flags = this.uleb();
    this.uleb();
    if (flags & 1) this.uleb();
  }
}

function uleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

const nameBytes = (name) => Buffer.concat([uleb(Buffer.byteLength(name)), Buffer.from(name)]);

const modules = new Map(); // module name -> short name
const imports = []; // { module, name, short }
const exports = new Map(); // export name -> short name

function renameImports(section) {
  const read = new Reader(section);
  const total = read.uleb();
  const out = [uleb(total)];
  for (let i = 0; i < total; i++) {
    const module = read.name();
    const name = read.name();
    const start = read.at;
    const kind = read.byte();
    if (kind === 0x00) read.uleb(); // function: its type
    else if (kind === 0x01) (read.byte(), read.limits()); // table: reference type, limits
    else if (kind === 0x02) read.limits(); // memory
    else if (kind === 0x03) (read.byte(), read.byte()); // global: value type, mutability
    else fail(`${wasmPath}: import ${module} ${name} is of kind ${kind}, not handled`);
    if (!modules.has(module)) modules.set(module, shortName(modules.size));
    const short = shortName(i);
    imports.push({ module, name, short });
    out.push(nameBytes(modules.get(module)), nameBytes(short), section.subarray(start, read.at));
  }
  if (read.at !== section.length) fail(`${wasmPath}: bytes after the imports`);
  return Buffer.concat(out);
}

function renameExports(section) {
  const read = new Reader(section);
  const total = read.uleb();
  const out = [];
  for (let i = 0; i < total; i++) {
    const name = read.name();
    const start = read.at;
    read.byte(); // kind
    read.uleb(); // index
    const short = name === 'memory' ? name : shortName(exports.size);
    exports.set(name, short);
    out.push(nameBytes(short), section.subarray(start, read.at));
  }
  if (read.at !== section.length) fail(`${wasmPath}: bytes after the exports`);
  return Buffer.concat([uleb(total), ...out]);
}

const wasm = readFileSync(wasmPath);
if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) fail(`${wasmPath}: not a wasm module`);
const parts = [wasm.subarray(0, 8)];
for (const read = Object.assign(new Reader(wasm), { at: 8 }); read.at < wasm.length; ) {
  const id = read.byte();
  let body = read.take(read.uleb());
  if (id === 2) body = renameImports(body);
  if (id === 7) body = renameExports(body);
  parts.push(Buffer.from([id]), uleb(body.length), body);
}
if (!imports.length || !exports.size) fail(`${wasmPath}: no imports or no exports found`);

// ---- The glue.

let glue = readFileSync(gluePath, 'utf8');
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces the one match of `pattern` (a RegExp without the g flag). */
function replaceOnce(pattern, replacement, what) {
  const count = glue.match(new RegExp(pattern.source, `${pattern.flags}g`))?.length ?? 0;
  if (count !== 1) fail(`${gluePath}: expected one ${what}, found ${count}`);
  glue = glue.replace(pattern, replacement);
}

// The imports object: `return { __proto__: null, "./NAME_bg.js": import0, "./snippets/…": import1, };`
const returned = /return \{\n\s*__proto__: null,\n((?:\s*"[^"\n]+": import\d+,\n)+)\s*\};/;
const entries = glue.match(returned)?.[1] ?? fail(`${gluePath}: no imports object found`);
const variables = new Map([...entries.matchAll(/"([^"]+)": (import\d+),/g)].map(([, module, variable]) => [module, variable]));
if (variables.size !== modules.size || [...modules.keys()].some((module) => !variables.has(module))) {
  fail(`${gluePath}: the imports object names other modules than ${wasmPath} imports`);
}
// wasm-bindgen's own imports are the object literal `import0`; the others are
// ES modules (snippets), whose functions are picked by name.
const own = [...variables].filter(([, variable]) => glue.includes(`const ${variable} = {\n`));
if (own.length !== 1) fail(`${gluePath}: expected one object of wasm-bindgen's own imports`);
const [ownModule] = own[0];
const objects = [];
for (const [module, variable] of variables) {
  const mine = imports.filter((entry) => entry.module === module);
  if (module === ownModule) {
    for (const { name, short } of mine) replaceOnce(new RegExp(`^(\\s+)${escape(name)}: `, 'm'), `$1${short}: `, `import ${name}`);
    objects.push(`${modules.get(module)}: ${variable}`);
  } else {
    objects.push(`${modules.get(module)}: { ${mine.map(({ name, short }) => `${short}: ${variable}.${name}`).join(', ')} }`);
  }
}
replaceOnce(returned, `return { __proto__: null, ${objects.join(', ')} };`, 'imports object');

// Exports are read as `wasm.NAME`; each is renamed, and nothing else may remain.
for (const [name, short] of exports) glue = glue.replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, 'g'), `wasm.${short}`);
const shorts = new Set(exports.values());
for (const [, name] of glue.matchAll(/\bwasm\.([A-Za-z_$][\w$]*)/g)) {
  if (!shorts.has(name)) fail(`${gluePath}: reads wasm.${name}, which ${wasmPath} does not export`);
}
if (/\bwasm\s*\[/.test(glue) || /instance\.exports\.\w/.test(glue)) fail(`${gluePath}: reads exports in a way not handled`);

// The package's one loader (js/loader.js) compiles and instantiates each
// module itself, so the glue also exports its imports object and the step
// that keeps the instance; bundlers then drop wasm-bindgen's loader (its
// `default` export, kept for the benchmarks, which call it directly).
replaceOnce(
  /^export \{ initSync, __wbg_init as default \};$/m,
  'export { initSync, __wbg_init as default, __wbg_get_imports as imports, __wbg_finalize_init as finalize };',
  'export list',
);
if (!/^function __wbg_get_imports\(\) \{$/m.test(glue) || !/^function __wbg_finalize_init\(instance, module\) \{$/m.test(glue)) {
  fail(`${gluePath}: no __wbg_get_imports() or __wbg_finalize_init(instance, module) found`);
}

writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(gluePath, glue);
