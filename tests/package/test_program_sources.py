"""Tests of the scan behind check_external_programs.py: the shell, CMake, C++ and Python readers on
small sources with known answers, and the whole check on this project with `file` taken out of a
copy of install-deps.sh (it must then fail, naming the program and its package)."""
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from program_sources import ProjectScan  # noqa: E402
from shell_commands import scan_shell  # noqa: E402
from source_parsers import cmake_commands, python_imports_in_code  # noqa: E402

SOURCE = HERE.parent.parent


def programs(script):
    return sorted({inv.program for inv in scan_shell(script).invocations})


class ShellTest(unittest.TestCase):
    def test_functions_that_run_their_arguments_are_followed(self):
        script = ('fail() { echo "FAIL: $*" >&2; exit 1; }\n'
                  'check() {  # check WHAT COMMAND...\n    what=$1\n    shift\n    "$@" || fail "$what"\n}\n'
                  'run() { timeout 120 "$@"; }\n'
                  'check "validates" run tool-a --strict x\n'
                  'run "${TOOL_B:-tool-b}" -G DEB\n')
        self.assertEqual(programs(script), ["timeout", "tool-a", "tool-b"])

    def test_case_patterns_and_for_headers_are_not_commands(self):
        script = ('case "$1" in\n  first) tool-a x ;;\n  second|third)\n    tool-b\n    ;;\n'
                  '  *) exit 2 ;;\nesac\n'
                  'for word in not-a-command other; do tool-c "$word"; done\n')
        self.assertEqual(programs(script), ["tool-a", "tool-b", "tool-c"])

    def test_substitutions_quotes_comments_and_heredocs(self):
        script = ('x=$(tool-a "$(tool-b)" | tool-c)\n'
                  'y="`tool-d`"; echo "# not a comment; not-run" \'$(not-run)\'\n'
                  'tool-e 2>&1 >/dev/null # tool-f\n'
                  '{ cat x; } > "out/$(tool-g "$x")"\n'
                  'cat <<EOF\nnot-run either\nEOF\n'
                  'tool-h \\\n  --flag\n'
                  'n=$((1 + 2))\n')
        self.assertEqual(programs(script), ["cat", "tool-a", "tool-b", "tool-c", "tool-d", "tool-e",
                                            "tool-g", "tool-h"])

    def test_variables_builtins_and_wrappers(self):
        script = ('cxx=$2\n"$cxx" -o x y.cpp\n"$work/fuzzer" -runs=1\n'
                  'if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi\n$sudo apt-get update\n'
                  '[ -f x ] && test -d y && printf "%s" z && cd / && set -eu\n'
                  'ASAN_OPTIONS=x exec env A=1 nice -n 5 dbus-run-session -- '
                  'xvfb-run -a -s "-screen 0" tool-a\n'
                  'sh -c \'tool-b | tool-c "$0"\' arg\n'
                  'command -v maybe-tool >/dev/null || true\n'
                  './packaging/own-script.sh\n')
        self.assertEqual(programs(script), ["apt-get", "dbus-run-session", "env", "id", "nice", "sh", "sudo",
                                            "tool-a", "tool-b", "tool-c", "xvfb-run"])

    def test_python_code_run_by_a_script(self):
        resolver = scan_shell('python3 -c "import numpy as np, os.path; from PIL import Image" x\n')
        self.assertEqual(python_imports_in_code(resolver.python_code[0][1]), ["numpy", "os", "PIL"])


class ProjectTest(unittest.TestCase):
    """A small project in a temporary folder, with every kind of source the scan reads."""

    FILES = {
        "CMakeLists.txt": r'''
project(P LANGUAGES CXX)
find_program(TOOL_A NAMES tool-a1 tool-a2 PATHS /opt/a NO_DEFAULT_PATH)
find_program(TOOL_B tool-b REQUIRED)  # short form
find_program(PY NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_executable(own-exe main.cpp)
add_test(NAME t1 COMMAND ${TOOL_B} --version)
add_test(NAME t2 COMMAND own-exe)
add_custom_command(OUTPUT o COMMAND ${CMAKE_COMMAND} -E env X=1 tool-c in o VERBATIM)
add_test(NAME t3 COMMAND sh -c "tool-d \"$0\" && ${TOOL_B} -q" $<TARGET_FILE:own-exe>)
execute_process(COMMAND python3 -c "import numpy, PIL" RESULT_VARIABLE ok)
target_compile_definitions(own-exe PRIVATE TOOL_PATH="${TOOL_A}" OWN="$<TARGET_FILE:own-exe>"
  PYTHON_EXE="${PY}"
  LINT="$<TARGET_FILE:Qt6::lupdate>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
''',
        "CMakePresets.json": '{"configurePresets": [{"name": "r", "generator": "Ninja"}]}',
        "tests/tst_a.cpp": r'''
const char kTool[] = "/usr/bin/tool-e";
void f() {
    QProcess p;
    p.start(PYTHON_EXE, {"-c", "import sys, json as j\nfrom yaml import x"});
    QProcess t;
    t.start(TOOL_PATH);
    QProcess own;
    own.start(QStringLiteral(OWN));
    QProcess e;
    e.start(kTool, {});
    QProcess l;
    l.start(QStringLiteral(LINT));
    QTimer timer;
    timer.start(20);  // not a process
    QStandardPaths::findExecutable("tool-f");
    const QString finder = QStandardPaths::findExecutable(QStringLiteral("tool-h"));
    QProcess f;
    f.start(finder, {"-x"});
}
''',
        "tests/tst_b.cpp": "void g(const QString& program) { QProcess p; p.start(program); }\n",
        "tests/gen.py": "import numpy\nimport helper\ntry:\n    import optional_mod\nexcept ImportError:\n"
                        "    optional_mod = None\nfrom os import path\n",
        "tests/helper.py": "",
        "tests/run.sh": "#!/bin/sh\ntool-g \"$@\"\n",
    }

    def scan(self, extra=None):
        with tempfile.TemporaryDirectory() as root:
            for name, text in dict(self.FILES, **(extra or {})).items():
                (Path(root) / name).parent.mkdir(parents=True, exist_ok=True)
                (Path(root) / name).write_text(text)
            (Path(root) / "tests/build").mkdir()  # a build tree: not scanned
            (Path(root) / "tests/build/CMakeCache.txt").write_text("")
            (Path(root) / "tests/build/ignored.sh").write_text("never-scanned\n")
            return ProjectScan(root, ["/qt/bin"]).run()

    def test_requirements(self):
        scan = self.scan()
        labels = {r.label for r in scan.requirements.values()}
        self.assertEqual(labels, {
            "tool-a1 | tool-a2", "tool-b", "cmake", "tool-c", "sh", "tool-d", "python3", "numpy", "PIL",
            "sys", "json", "yaml", "/usr/bin/tool-e", "lupdate", "tool-f", "tool-h", "os", "/bin/sh",
            "tool-g", "file", "dpkg-shlibdeps", "objdump", "c++", "as", "ld", "ninja"})
        tool_a = next(r for r in scan.requirements.values() if r.names[0] == "tool-a1")
        self.assertEqual(tool_a.dirs, ("/opt/a",))
        lupdate = next(r for r in scan.requirements.values() if r.label == "lupdate")
        self.assertEqual(lupdate.dirs, ("/qt/bin",))
        self.assertEqual(len(scan.unresolved), 1)
        self.assertIn("tests/tst_b.cpp:1 QProcess starts 'program'", scan.unresolved[0])
        skipped = "\n".join(scan.skipped)
        for word in ("own-exe", "helper: the project's own module", "optional_mod: optional"):
            self.assertIn(word, skipped)

    def test_implied_programs_follow_their_setting(self):
        cmake = self.FILES["CMakeLists.txt"].replace("SHLIBDEPS ON", "SHLIBDEPS OFF")
        labels = {r.label for r in self.scan({"CMakeLists.txt": cmake}).requirements.values()}
        self.assertFalse({"file", "dpkg-shlibdeps", "objdump"} & labels)
        self.assertIn("ninja", labels)

    def test_cmake_arguments(self):
        commands = cmake_commands('set(A "x;y" [[b]])  # c\nf( "q\\"t" u#v\n)\n#[[ g(h) ]]\n', "f")
        self.assertEqual([(c.name, c.args, c.line) for c in commands],
                         [("set", ["A", "x;y", "b"], 1), ("f", ['q"t', "u"], 2)])


class ThisProjectTest(unittest.TestCase):
    def run_check(self, install_deps):
        return subprocess.run([sys.executable, str(HERE / "check_external_programs.py"),
                               "--source", str(SOURCE), "--install-deps", str(install_deps)],
                              capture_output=True, text=True)

    def test_fails_naming_file_when_install_deps_drops_it(self):
        text = (SOURCE / "packaging/install-deps.sh").read_text()
        block = re.search(r'^packages="(.*?)"$', text, re.S | re.M)
        self.assertRegex(block.group(1), r"(^|\s)file(\s|$)", "install-deps.sh lists file")
        listed = re.sub(r"(^|\s)file(?=\s|$)", r"\1", block.group(1))
        without = text[:block.start(1)] + listed + text[block.end(1):]
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "install-deps.sh"
            copy.write_text(without)
            self.assertNotIn("file", subprocess.run(["sh", str(copy), "--list"], capture_output=True,
                                                    text=True, check=True).stdout.split())
            result = self.run_check(copy)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"(?m)^FAIL: program file -> \S*/file -> package file \(.*add file "
                                        r"to install-deps.sh")


if __name__ == "__main__":
    os.environ.pop("PYTHONPATH", None)
    unittest.main(verbosity=2)
