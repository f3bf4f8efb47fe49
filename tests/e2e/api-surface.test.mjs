// The TypeScript surface is written by hand (js/index.d.ts), and CognitoAuth
// reaches the account module by name (`#userCall('fetchDevices')`): both are
// lists a person keeps, so this test compares them with what runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ts from 'typescript';
import { CognitoAuth } from '../../js/index.js';

const root = new URL('../../', import.meta.url);

/** The member names of the exported `CognitoAuth` (class and interfaces merged), as the compiler sees them. */
function declaredMembers() {
  const file = new URL('js/index.d.ts', root).pathname;
  const program = ts.createProgram([file], { strict: true, noEmit: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).find((s) => s.name === 'CognitoAuth');
  assert.ok(symbol, 'js/index.d.ts exports CognitoAuth');
  const instance = checker.getDeclaredTypeOfSymbol(symbol);
  return new Set(checker.getPropertiesOfType(instance).map((p) => p.name));
}

/** The public members of a CognitoAuth: the prototype's methods and getters, and the instance's fields. */
function runtimeMembers() {
  const auth = new CognitoAuth({ userPoolId: 'us-east-1_Example', clientId: 'exampleclient' });
  const names = [...Object.getOwnPropertyNames(CognitoAuth.prototype), ...Object.keys(auth)];
  auth.free();
  return new Set(names.filter((name) => name !== 'constructor'));
}

test('js/index.d.ts declares exactly the public members of CognitoAuth', () => {
  const declared = declaredMembers();
  const runtime = runtimeMembers();
  assert.ok(runtime.has('signIn') && declared.has('signIn'), 'both lists are read');
  assert.deepEqual([...runtime].filter((n) => !declared.has(n)).sort(), [], 'methods without a declaration in js/index.d.ts');
  assert.deepEqual([...declared].filter((n) => !runtime.has(n)).sort(), [], 'declarations without a method in js/index.js');
});

test('every account call CognitoAuth names exists on the account module', async () => {
  const source = await readFile(new URL('js/index.js', root), 'utf8');
  const named = [...source.matchAll(/#(?:userCall|accountCall)\('(\w+)'/g)].map((m) => m[1]);
  assert.ok(named.length >= 10, `index.js names its account calls (found ${named.length})`);
  // The account module's class, as index.js loads it (the wasm is not needed to read its prototype).
  const { Calls } = await import('../../js/account.js');
  const has = (name) => typeof Calls.prototype[name] === 'function';
  assert.deepEqual(named.filter((name) => !has(name)), [], 'account calls index.js names that the account module lacks');
});
