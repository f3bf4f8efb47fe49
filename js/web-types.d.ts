// The web platform's classes that the package's types name, taken from the
// program's own libraries (the dom lib, @types/node, Deno's, Bun's), so that
// the types compile with any of them or none (`"lib": ["es2022"]`,
// `"types": []`, `skipLibCheck: false`). Where a program declares a class
// nowhere, its type falls back to what the package reads of it, or to
// `never` for an input the program cannot make anyway.

/** A `URL`. */
export type WebURL = typeof globalThis extends { URL: { prototype: infer T } } ? T : { readonly href: string; toString(): string };
/** A fetch `Request`. */
export type WebRequest = typeof globalThis extends { Request: { prototype: infer T } } ? T : never;
/** A fetch `Response`, as the package reads it. */
export type WebResponse = typeof globalThis extends { Response: { prototype: infer T } }
  ? T
  : { readonly ok: boolean; readonly status: number; readonly url: string; json(): Promise<unknown>; arrayBuffer(): Promise<ArrayBuffer> };
/** An `AbortSignal` (a program without one cannot pass a signal). */
export type WebAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer T } } ? T : never;
/** A compiled `WebAssembly.Module`. */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer T } } } ? T : never;
/**
 * Where a wasm module of the package is, for hosts that move it: its URL
 * (string, URL or Request), its Response, its bytes (ArrayBuffer or a view,
 * as BufferSource is), or it compiled (WebAssembly.Module).
 */
export type WasmInput = string | WebURL | WebRequest | WebResponse | ArrayBuffer | ArrayBufferView | WasmModule;
