#!/usr/bin/python3
"""The project's layer graph, checked: every dependency between folders must be in the table.

Usage: check_dependencies.py SOURCE_DIR [--graph] [--table FILE]
       check_dependencies.py --self-test

Modules are the folders core/*, ui/*, app/* (and tests/fuzz for the fuzz targets' sources is not
checked: tests may use anything). Two kinds of edge are read from the sources:
  - `#include "x.h"`: an edge to the module that owns x.h (header names are unique in the tree);
    `#include <...>` of Qt (the Qt module is found from the header's folder in Qt's include
    directory), OpenCV, DCMTK, OpenJPEG, zlib, QtKeychain and LibTorch headers: an edge to that
    library;
  - `target_link_libraries(...)` in each module's CMake files: an edge to the module that defines
    the linked target, or to the external library.
Every edge must be listed for its module in tests/layering/allowed_dependencies.txt, which gives the
reason for each edge that is not a plain step down the layers. With --graph, prints the graph.
"""

import collections
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
QT_INCLUDE_DIRS = ["/usr/include/x86_64-linux-gnu/qt6", "/usr/include/qt6",
                   "/usr/include/aarch64-linux-gnu/qt6"]


def modules(root):
    found = []
    for top in ("core", "ui", "app"):
        base = os.path.join(root, top)
        for name in sorted(os.listdir(base)):
            if os.path.isdir(os.path.join(base, name)):
                found.append(top + "/" + name)
    return found


def files_of(root, module, suffixes):
    for folder, _, names in os.walk(os.path.join(root, module)):
        for name in sorted(names):
            if name.endswith(suffixes):
                yield os.path.join(folder, name)


_qt_cache = {}


def qt_module(header):
    """'QNetworkReply' or 'QtNetwork/QNetworkReply' -> 'Qt::Network'; None when not Qt."""
    if header.startswith("Qt") and "/" in header:
        return "Qt::" + header.split("/")[0][2:]
    if header.startswith("qt6keychain/"):
        return "QtKeychain"
    if not header.startswith("Q"):
        return None
    if header not in _qt_cache:
        _qt_cache[header] = None
        for base in QT_INCLUDE_DIRS:
            if not os.path.isdir(base):
                continue
            for sub in sorted(os.listdir(base)):
                if os.path.exists(os.path.join(base, sub, header)):
                    _qt_cache[header] = "Qt::" + sub[2:]
                    break
            if _qt_cache[header]:
                break
    return _qt_cache[header]


def external_of_header(header):
    qt = qt_module(header)
    if qt:
        return qt
    first = header.split("/")[0]
    for prefix, name in (("opencv2", "OpenCV"), ("dcmtk", "DCMTK"), ("openjpeg", "OpenJPEG"),
                         ("ATen", "LibTorch"), ("torch", "LibTorch"), ("c10", "LibTorch"),
                         ("zlib.h", "zlib")):
        if first.startswith(prefix):
            return name
    return None  # the C and C++ standard libraries, POSIX


def external_of_target(target):
    for prefix, name in (("Qt6::", None), ("qt6keychain", "QtKeychain"),
                         ("Qt6Keychain", "QtKeychain"), ("opencv_", "OpenCV"), ("dcm", "DCMTK"),
                         ("ofstd", "DCMTK"), ("oflog", "DCMTK"), ("PkgConfig::OPENJPEG", "OpenJPEG"),
                         ("ZLIB::", "zlib"), ("${TORCH_LIBRARIES}", "LibTorch")):
        if target.startswith(prefix):
            return name if name else "Qt::" + target[len("Qt6::"):]
    return None


def read_edges(root):
    mods = modules(root)
    owner = {}
    for m in mods:
        for path in files_of(root, m, (".h",)):
            owner.setdefault(os.path.basename(path), m)
    target_owner = {}
    for m in mods:
        for path in files_of(root, m, ("CMakeLists.txt", ".cmake")):
            for t in re.findall(r"add_(?:library|executable)\(\s*([\w-]+)", open(path).read()):
                target_owner[t] = m
    edges = collections.defaultdict(list)  # module -> [(dependency, "file:line what")]
    for m in mods:
        for path in files_of(root, m, (".cpp", ".h")):
            rel = os.path.relpath(path, root)
            for number, line in enumerate(open(path, errors="replace"), 1):
                quoted = re.match(r'\s*#\s*include\s*"([^"]+)"', line)
                angled = re.match(r"\s*#\s*include\s*<([^>]+)>", line)
                dep = None
                if quoted:
                    dep = owner.get(os.path.basename(quoted.group(1)))
                elif angled:
                    dep = external_of_header(angled.group(1))
                if dep and dep != m:
                    edges[m].append((dep, "%s:%d %s" % (rel, number, line.strip())))
        for path in files_of(root, m, ("CMakeLists.txt", ".cmake")):
            rel = os.path.relpath(path, root)
            text = open(path).read()
            for call in re.finditer(r"target_link_libraries\(([^)]*)\)", text):
                number = text[:call.start()].count("\n") + 1
                words = call.group(1).split()[1:]
                for word in words:
                    if word in ("PUBLIC", "PRIVATE", "INTERFACE"):
                        continue
                    dep = target_owner.get(word) or external_of_target(word)
                    if dep and dep != m:
                        edges[m].append((dep, "%s:%d links %s" % (rel, number, word)))
    return mods, edges


def read_allowed(path):
    """'module: dep1 dep2 ...' lines; '# ...' comments; a dependency may carry '(reason)'."""
    allowed = {}
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        module, _, rest = line.partition(":")
        rest = re.sub(r"\([^)]*\)", "", rest)
        allowed[module.strip()] = set(rest.split())
    return allowed


def check(root, table):
    mods, edges = read_edges(root)
    allowed = read_allowed(table)
    failures = 0
    for m in mods:
        if m not in allowed:
            print("FAIL: %s is not in allowed_dependencies.txt" % m)
            failures += 1
            continue
        seen = set()
        for dep, where in edges[m]:
            if dep in allowed[m]:
                seen.add(dep)
                continue
            print("FAIL: %s -> %s is not allowed: %s" % (m, dep, where))
            failures += 1
        for dep in sorted(allowed[m] - seen):
            print("note: %s may use %s but does not (tighten the table)" % (m, dep))
        print("ok   %s -> %s" % (m, ", ".join(sorted(seen)) or "(nothing)"))
    for m in sorted(set(allowed) - set(mods)):
        print("FAIL: allowed_dependencies.txt names %s, which does not exist" % m)
        failures += 1
    print("%d disallowed edges" % failures)
    return 1 if failures else 0


def self_test():
    """The check itself: a tree that keeps the table passes; an include, a link or a module that
    the table does not allow each fail."""
    import contextlib
    import io
    import tempfile

    def write(root, rel, text):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def run(root, table_text):
        write(root, "table.txt", table_text)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = check(root, os.path.join(root, "table.txt"))
        return rc, out.getvalue()

    table = "core/low: LibTorch\ncore/high: core/low Qt::Core\nui/a:\napp/b: core/high\n"
    cases = [
        ("kept", {}, 0, "0 disallowed"),
        ("include upwards", {"core/low/x.cpp": '#include "high.h"\n'}, 1, "core/low -> core/high"),
        ("library", {"core/low/y.cpp": "#include <opencv2/core.hpp>\n"}, 1, "core/low -> OpenCV"),
        ("link", {"ui/a/CMakeLists.txt": "add_library(a_lib STATIC a.cpp)\n"
                  "target_link_libraries(a_lib PRIVATE high_lib)\n"}, 1, "ui/a -> core/high"),
        ("unlisted module", {"core/new/z.h": "\n"}, 1, "core/new is not in"),
    ]
    failed = 0
    for name, extra, want_rc, want_text in cases:
        with tempfile.TemporaryDirectory() as root:
            write(root, "core/low/low.h", "#include <ATen/ATen.h>\n")
            write(root, "core/low/CMakeLists.txt", "add_library(low_lib STATIC low.cpp)\n")
            write(root, "core/high/high.h", '#include "low.h"\n#include <QString>\n')
            write(root, "core/high/CMakeLists.txt", "add_library(high_lib STATIC high.cpp)\n"
                  "target_link_libraries(high_lib PUBLIC low_lib Qt6::Core)\n")
            write(root, "ui/a/a.h", "\n")
            write(root, "app/b/main.cpp", '#include "high.h"\n')
            for rel, text in extra.items():
                write(root, rel, text)
            rc, out = run(root, table)
            ok = rc == want_rc and want_text in out
            print("%s self-test %s: rc %d" % ("ok  " if ok else "FAIL", name, rc))
            if not ok:
                print(out)
                failed += 1
    return 1 if failed else 0


def main():
    if "--self-test" in sys.argv:
        return self_test()
    root = sys.argv[1]
    if "--graph" in sys.argv:
        mods, edges = read_edges(root)
        for m in mods:
            print(m + ": " + " ".join(sorted({d for d, _ in edges[m]})))
        return 0
    table = os.path.join(HERE, "allowed_dependencies.txt")
    if "--table" in sys.argv:
        table = sys.argv[sys.argv.index("--table") + 1]
    return check(root, table)


if __name__ == "__main__":
    sys.exit(main())
