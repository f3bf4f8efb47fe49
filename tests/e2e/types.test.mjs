// The package's .d.ts files as TypeScript projects of every kind compile
// them, with skipLibCheck false (which checks each .d.ts): module resolution
// node16, nodenext and bundler (each resolving the packed package through
// its `exports`), each with the dom lib, with Node's types only
// (@types/node, no dom), and with neither (`"lib": ["es2022"]`,
// `"types": []`); and from a CommonJS module (.cts). The programs are the
// files of tests/types, copied beside the packed package
// (tests/e2e/.work/types/<case>/, a package of its own) so that
// 'cognito-wasm' resolves to it as it does in an app.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { E2E, PACKAGE_DIR, ROOT } from './support.mjs';

const SOURCES = join(ROOT, 'tests/types');
// @types/node comes with the examples' install (examples/package.json).
const NODE_TYPES = join(ROOT, 'examples/node_modules/@types');

const RESOLUTIONS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};
// The usage files use URL and fetch, which the dom lib and @types/node
// declare; standalone.ts and commonjs.cts need no global of either.
const EVERY_FILE = ['usage.ts', 'admin-usage.ts', 'verify-usage.ts', 'standalone.ts', 'commonjs.cts'];
const LIBS = {
  dom: { options: { lib: ['es2022', 'dom'], types: [] }, files: EVERY_FILE },
  'node types only': { options: { lib: ['es2022'], types: ['node'], typeRoots: [NODE_TYPES] }, files: EVERY_FILE },
  'no dom, no node types': { options: { lib: ['es2022'], types: [] }, files: ['standalone.ts', 'commonjs.cts'] },
};

// The parsed files (the libs, @types/node), shared by the programs: parsing them is most of the time.
const parsed = new Map();
function hostFor(options) {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => {
    if (!name.includes('/typescript/lib/') && !name.includes('/@types/')) return getSourceFile(name, version, ...rest);
    const key = `${name} ${JSON.stringify(version)}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile(name, version, ...rest));
    return parsed.get(key);
  };
  return host;
}

if (!existsSync(join(NODE_TYPES, 'node'))) {
  throw new Error('examples/node_modules/@types/node is missing: run `bash scripts/setup-examples.sh` (npm test does)');
}

for (const [resolution, moduleOptions] of Object.entries(RESOLUTIONS)) {
  for (const [libs, { options, files }] of Object.entries(LIBS)) {
    test(`the types compile with moduleResolution ${resolution}, ${libs}, skipLibCheck false`, () => {
      const dir = join(E2E, '.work', 'types', `${resolution}-${libs.replaceAll(/\W+/g, '-')}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const file of files) cpSync(join(SOURCES, file), join(dir, file));
      // A package of its own (ES modules), so that 'cognito-wasm' is not the repository's own name.
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'types-check', private: true, type: 'module' }));
      const compilerOptions = ts.convertCompilerOptionsFromJson(
        // skipDefaultLibCheck: TypeScript's own lib files need no check (and take most of the time).
        { strict: true, noEmit: true, target: 'es2022', skipLibCheck: false, skipDefaultLibCheck: true, ...moduleOptions, ...options },
        dir,
      ).options;
      const program = ts.createProgram(files.map((file) => join(dir, file)), compilerOptions, hostFor(compilerOptions));
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' }));
      assert.deepEqual(diagnostics, []);
      // The package's declarations were part of the program (and so checked).
      for (const entry of ['js/index.d.ts', 'js/admin.d.ts', 'js/verify.d.ts', 'js/web-types.d.ts']) {
        assert.ok(program.getSourceFile(join(PACKAGE_DIR, entry)), `${entry} was compiled`);
      }
    });
  }
}
