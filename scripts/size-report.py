#!/usr/bin/env python3
"""Where the bytes of the sign-in wasm module come from, by source file.

    python3 scripts/size-report.py [--files] [--functions] [--lines src/FILE.rs]

Builds module/ as scripts/build.sh does (cargo profile `wasm-release`), plus
line tables (`debug = "line-tables-only"` changes no code), into
target/size-report/, then attributes every byte of code in LLVM's output to
the source file its DWARF line table names. Code that core/alloc generics
inlined into a function counts for that function's own source files, in
proportion; functions with no code of this workspace keep it ("core/alloc").
The wasm-bindgen `describe` functions are left out: wasm-bindgen runs and
removes them. The numbers are LLVM's, before wasm-bindgen and wasm-opt
(which shrink the code by about a seventh). `--lines` splits one source
file's bytes by the `fn` (or `#[wasm_bindgen]` block) their lines fall in:
code that a macro such as `#[wasm_bindgen]` generates counts for the line
of the attribute. When pkg/ is built, the report
also scales each share to the gzipped code of pkg/'s module, as docs/size.md
does. Needs llvm-dwarfdump (Debian: llvm).
"""

import bisect
import collections
import os
import re
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target/size-report")
WASM = os.path.join(TARGET, "wasm32-unknown-unknown/wasm-release/cognito_wasm_module.wasm")

# (category, regular expression on the shortened source path); first match wins.
CATEGORIES = [
    ("arithmetic (uint.rs, residue.rs)", r"^src/(uint|residue)\.rs"),
    ("SRP quantities (srp.rs)", r"^src/srp\.rs"),
    ("SHA-256, HMAC, HKDF, base64", r"^src/(sha256|base64)\.rs"),
    ("JSON (json.rs)", r"^src/json\.rs"),
    ("requests and responses (protocol.rs)", r"^src/protocol\.rs"),
    ("sign-in state machine (sign_in.rs)", r"^src/sign_in\.rs"),
    ("tokens (tokens.rs)", r"^src/tokens\.rs"),
    ("session refresh and storage (session.rs)", r"^src/session\.rs"),
    ("account, sign-up, attributes (account.rs)", r"^src/account\.rs"),
    ("MFA (mfa.rs)", r"^src/mfa\.rs"),
    ("bindings.rs (CognitoAuth, Operation, JS objects)", r"^src/bindings\.rs"),
    ("bindings/session.rs, bindings/device.rs (sessions, devices)", r"^src/bindings/(session|device)\.rs"),
    ("glue.rs (drive, options, errors, requests to JS)", r"^src/glue\.rs"),
    ("text, error, once", r"^src/(text|error|once|lib)\.rs"),
    ("wasm-bindgen runtime, JS built-ins (glue/js.rs)", r"^(wasm-bindgen|js-sys)|^src/glue/js\.rs"),
    ("allocator (heap/)", r"^heap/"),
    ("zeroize", r"^zeroize"),
    ("core::fmt and panics", r"^rust:library/core/src/(fmt|panic)"),
    ("core/alloc (no workspace code in the function)", r"^(rust:)?library/"),
]


def leb(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def functions(data):
    """[(start, index)] of the code section's bodies (offsets from its start) and {index: name}."""
    i, imported, bodies, names = 8, 0, [], {}
    while i < len(data):
        section, i = data[i], i + 1
        size, i = leb(data, i)
        end = i + size
        if section == 2:  # imports: function imports come first in the index space
            count, j = leb(data, i)
            for _ in range(count):
                for _ in range(2):
                    length, j = leb(data, j)
                    j += length
                kind, j = data[j], j + 1
                if kind == 0:
                    _, j = leb(data, j)
                    imported += 1
                elif kind in (1, 2):
                    j += kind == 1
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 3:
                    j += 2
        elif section == 10:
            count, j = leb(data, i)
            for k in range(count):
                length, body = leb(data, j)
                bodies.append((j - i, imported + k))
                j = body + length
        elif section == 0:
            length, j = leb(data, i)
            if data[j : j + length] == b"name":
                j += length
                while j < end:
                    sub, j = data[j], j + 1
                    sub_size, j = leb(data, j)
                    sub_end = j + sub_size
                    if sub == 1:
                        count, j = leb(data, j)
                        for _ in range(count):
                            index, j = leb(data, j)
                            length, j = leb(data, j)
                            names[index] = data[j : j + length].decode("utf8", "replace")
                            j += length
                    j = sub_end
        i = end
    return bodies, names


def short(path):
    path = re.sub(r"^/rustc/[0-9a-f]+/", "rust:", path)
    path = re.sub(r"^.*/\.cargo/registry/src/[^/]+/", "", path)
    path = path.replace(ROOT + "/", "").replace("arith/../", "")
    return path


def code_by_function(wasm):
    """{function name: Counter(source path: code bytes)} and Counter((path, line): bytes)
    from the DWARF line tables."""
    data = open(wasm, "rb").read()
    bodies, names = functions(data)
    starts = [start for start, _ in bodies]
    dwarf = lambda what: subprocess.run(
        ["llvm-dwarfdump", what, wasm], capture_output=True, text=True, check=True
    ).stdout
    comp_dirs, stmt = {}, None
    for line in dwarf("--debug-info").splitlines():
        if m := re.search(r"DW_AT_stmt_list\s+\((0x[0-9a-f]+)\)", line):
            stmt = int(m[1], 16)
        elif (m := re.search(r'DW_AT_comp_dir\s+\("(.*)"\)', line)) and stmt is not None:
            comp_dirs[stmt], stmt = m[1], None
    row = re.compile(r"^0x([0-9a-f]+)\s+\d+\s+\d+\s+(\d+)\s+\d+\s+\d+\s*(.*)$")
    result = collections.defaultdict(collections.Counter)
    by_line = collections.Counter()
    previous, dirs, files, comp_dir, name = None, {}, {}, "", ""
    for line in dwarf("--debug-line").splitlines():
        if m := re.match(r"debug_line\[(0x[0-9a-f]+)\]", line):
            comp_dir = comp_dirs.get(int(m[1], 16), "")
            dirs, files, previous = {0: comp_dir}, {}, None
        elif m := re.match(r'include_directories\[\s*(\d+)\] = "(.*)"', line):
            dirs[int(m[1])] = m[2] if m[2].startswith("/") else comp_dir + "/" + m[2]
        elif m := re.match(r"file_names\[\s*(\d+)\]:", line):
            file_index = int(m[1])
        elif m := re.match(r'\s+name: "(.*)"', line):
            name = m[1]
        elif m := re.match(r"\s+dir_index: (\d+)", line):
            files[file_index] = name if name.startswith("/") else dirs.get(int(m[1]), comp_dir) + "/" + name
        elif m := row.match(line):
            address = int(m[1], 16)
            if previous is not None and address > previous[0]:
                k = bisect.bisect_right(starts, previous[0]) - 1
                function = names.get(bodies[k][1], "?") if k >= 0 else "?"
                if "describe" not in function:
                    result[function][short(previous[1])] += address - previous[0]
                    by_line[(short(previous[1]), previous[2])] += address - previous[0]
            line_number = int(line.split()[1])
            previous = None if "end_sequence" in m[3] else (address, files.get(int(m[2]), "?"), line_number)
    return result, by_line


def shipped_code_gzip():
    """gzip -9 size of the code section of pkg/'s module (scripts/build.sh), or None."""
    path = os.path.join(ROOT, "pkg/cognito_wasm_bg.wasm")
    if not os.path.exists(path):
        return None
    data, i = open(path, "rb").read(), 8
    while i < len(data):
        section, i = data[i], i + 1
        size, i = leb(data, i)
        if section == 10:
            return len(zlib.compress(data[i : i + size], 9))
        i += size
    return None


def main():
    env = dict(os.environ, CARGO_PROFILE_WASM_RELEASE_DEBUG="line-tables-only")
    subprocess.run(
        ["cargo", "build", "-q", "--profile", "wasm-release", "--target", "wasm32-unknown-unknown",
         "-p", "cognito-wasm-module", "--target-dir", TARGET],
        cwd=ROOT, env=env, check=True,
    )
    by_function, by_line = code_by_function(WASM)
    library = re.compile(r"^(rust:)?library/")
    by_file = collections.Counter()
    for counts in by_function.values():
        own = {f: n for f, n in counts.items() if not library.match(f)}
        inlined = sum(n for f, n in counts.items() if f not in own)
        total_own = sum(own.values())
        for f, n in (own or counts).items():
            by_file[f] += n + (inlined * n / total_own if total_own else 0)
    total = sum(by_file.values())
    by_category = collections.Counter()
    for f, n in by_file.items():
        category = next((c for c, rx in CATEGORIES if re.search(rx, f)), "other: " + f)
        by_category[category] += n
    shipped = shipped_code_gzip()
    print("LLVM code bytes by category (before wasm-bindgen and wasm-opt)"
          + (f"; last column: that share of pkg/'s code section, {shipped} bytes gzipped alone:" if shipped else ":"))
    for category, n in by_category.most_common():
        estimate = f"  ~{shipped * n / total / 1000:4.1f} KB gzip" if shipped else ""
        print(f"{n:8.0f}  {100 * n / total:5.1f}%{estimate}  {category}")
    print(f"{total:8.0f}  total")
    if "--files" in sys.argv:
        print("\nby source file:")
        for f, n in by_file.most_common(40):
            print(f"{n:8.0f}  {f}")
    if "--functions" in sys.argv:
        print("\nlargest functions (after LLVM inlining), with their top source files:")
        sizes = {name: sum(c.values()) for name, c in by_function.items()}
        for name in sorted(sizes, key=sizes.get, reverse=True)[:30]:
            top = ", ".join(f"{f.split('/')[-1]} {n}" for f, n in by_function[name].most_common(4))
            print(f"{sizes[name]:7d}  {name[:80]}: {top}")

    if "--lines" in sys.argv:
        path = sys.argv[sys.argv.index("--lines") + 1]
        source = open(os.path.join(ROOT, path)).read().split("\n")
        starts = [(0, "(top of the file, or line 0: generated)")] + [
            (number, m[2] or "#[wasm_bindgen] " + source[number].strip())
            for number, text in enumerate(source, 1)
            if (m := re.match(r"^\s{0,4}(pub(?:\([a-z]+\))? )?fn (\w+)|^\s{0,4}#\[wasm_bindgen\]$", text))
        ]
        spans = collections.Counter()
        for (f, number), n in by_line.items():
            if f == path:
                spans[next(name for start, name in reversed(starts) if start <= number)] += n
        print(f"\n{path}, by function (inlined copies included):")
        for name, n in spans.most_common(30):
            print(f"{n:7d}  {name}")


if __name__ == "__main__":
    main()
