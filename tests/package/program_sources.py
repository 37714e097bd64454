"""The external programs and Python modules that the build, the tests, .ci/run and the packaging use,
derived from the project's sources (nothing is run).

Read: .ci/run, packaging/*.sh and tests/**/*.sh (every command, through wrappers and functions; see
shell_commands.py), every CMakeLists.txt and *.cmake (find_program names; the programs of COMMAND
in add_test, add_custom_command, add_custom_target and execute_process, `sh -c` bodies included),
the C++ test sources (what QProcess starts, resolved through the compile definitions the CMake files
give them; QStandardPaths::findExecutable; literal program paths; the imports of the Python code
they run), the Python scripts under tests/ (their imports), script interpreters (#!), and
CMakePresets.json (the generator). What CMake settings imply without naming a program (CPack's DEB
generator with SHLIBDEPS runs `file` and `dpkg-shlibdeps`, AUTOMOC runs moc, ...) comes from the
table IMPLIED, each row applying only while its setting is in the sources.
"""
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from shell_commands import COMMAND_NAME, CommandResolver, Word, scan_shell
from source_parsers import cmake_commands, cpp_string_literals, python_file_imports, python_imports_in_code

# Scripts that are not part of the build, the tests, .ci/run or the packaging: not scanned.
NOT_SCANNED = {
    "packaging/fresh-check.sh": "a maintainers' tool run on the host; it installs debootstrap itself",
}
CMAKE_PROGRAM_VARIABLES = {"CMAKE_COMMAND": "cmake", "CMAKE_CPACK_COMMAND": "cpack",
                           "CMAKE_CTEST_COMMAND": "ctest"}
CMAKE_TREE_VARIABLES = ("CMAKE_CURRENT_SOURCE_DIR", "PROJECT_SOURCE_DIR", "CMAKE_SOURCE_DIR",
                        "CMAKE_CURRENT_BINARY_DIR", "CMAKE_BINARY_DIR")
COMMAND_KEYWORDS = {
    "NAME", "COMMAND", "CONFIGURATIONS", "WORKING_DIRECTORY", "COMMAND_EXPAND_LISTS", "OUTPUT",
    "MAIN_DEPENDENCY", "DEPENDS", "BYPRODUCTS", "IMPLICIT_DEPENDS", "COMMENT", "DEPFILE", "JOB_POOL",
    "VERBATIM", "APPEND", "USES_TERMINAL", "TARGET", "PRE_BUILD", "PRE_LINK", "POST_BUILD", "ALL",
    "SOURCES", "TIMEOUT", "RESULT_VARIABLE", "RESULTS_VARIABLE", "OUTPUT_VARIABLE", "ERROR_VARIABLE",
    "INPUT_FILE", "OUTPUT_FILE", "ERROR_FILE", "OUTPUT_QUIET", "ERROR_QUIET", "COMMAND_ECHO",
    "OUTPUT_STRIP_TRAILING_WHITESPACE", "ERROR_STRIP_TRAILING_WHITESPACE", "ENCODING",
    "ECHO_OUTPUT_VARIABLE", "ECHO_ERROR_VARIABLE", "COMMAND_ERROR_IS_FATAL",
}
FIND_PROGRAM_KEYWORDS = {
    "NAMES", "NAMES_PER_DIR", "HINTS", "PATHS", "PATH_SUFFIXES", "VALIDATOR", "DOC", "NO_CACHE",
    "REQUIRED", "NO_DEFAULT_PATH", "NO_PACKAGE_ROOT_PATH", "NO_CMAKE_PATH", "NO_CMAKE_ENVIRONMENT_PATH",
    "NO_SYSTEM_ENVIRONMENT_PATH", "NO_CMAKE_SYSTEM_PATH", "NO_CMAKE_INSTALL_PREFIX",
    "CMAKE_FIND_ROOT_PATH_BOTH", "ONLY_CMAKE_FIND_ROOT_PATH", "NO_CMAKE_FIND_ROOT_PATH", "ENV",
}
ON = {"ON", "TRUE", "YES", "1", "Y"}


@dataclass
class Requirement:
    kind: str                  # "program" or "module"
    names: tuple               # alternatives; the first one found counts (find_program NAMES a b)
    path: str = None           # the absolute path the sources name, if they do
    dirs: tuple = ()           # where to look before PATH (find_program PATHS, Qt's tool folders)
    where: list = field(default_factory=list)   # "file:line what"

    @property
    def label(self):
        return self.path or " | ".join(self.names)




def _on(value):
    return value.upper() in ON


class ProjectScan:
    """Everything the project's sources say they run; see the module's description."""

    def __init__(self, root, qt_tool_dirs=()):
        self.root = Path(root).resolve()
        self.qt_tool_dirs = tuple(qt_tool_dirs)
        self.requirements = {}          # key -> Requirement
        self.skipped = []               # "file:line: word: why it is not a program to check"
        self.unresolved = []            # process starts the scan cannot tell (failures)
        self.scanned, self.not_scanned = [], []
        self.cmake, self.find_programs, self.own, self.definitions = [], {}, set(), {}
        self.qt_tools = set()

    def run(self):
        self._read_cmake()
        self._scan_cmake_commands()
        self._scan_shell_scripts()
        self._scan_cpp_tests()
        self._scan_python_files()
        self._apply_implied()
        return self

    # ---- bookkeeping ----
    def _rel(self, path):
        return str(Path(path).resolve().relative_to(self.root))

    def _files(self, under, suffixes=(), names=()):
        """Source files below `under`, skipping hidden folders and build trees (CMakeCache.txt)."""
        found, base = [], self.root / under
        stack = [base] if base.is_dir() else []
        while stack:
            folder = stack.pop()
            if (folder / "CMakeCache.txt").exists():
                continue
            for entry in sorted(folder.iterdir()):
                if entry.is_dir() and not entry.name.startswith("."):
                    stack.append(entry)
                elif entry.is_file() and (entry.suffix in suffixes or entry.name in names):
                    found.append(entry)
        return sorted(found)

    def add(self, kind, names, where, path=None, dirs=()):
        names = tuple(names)
        if kind == "program" and self.qt_tools.intersection(names):
            dirs = tuple(dirs) + self.qt_tool_dirs
        if path:
            key = ("program", path)
        else:
            key = (kind, names)
            if kind == "program" and len(names) == 1:  # a use of a find_program result
                key = next((k for k, r in self.requirements.items()
                            if k[0] == "program" and not r.path and names[0] in r.names), key)
        req = self.requirements.setdefault(key, Requirement(kind, names, path, ()))
        req.dirs = tuple(dict.fromkeys(req.dirs + tuple(dirs)))
        if where not in req.where:
            req.where.append(where)
        return req

    def _add_program(self, program, where):
        if program.startswith("/"):
            self.add("program", (program.rsplit("/", 1)[-1],), where, path=program)
        else:
            self.add("program", (program,), where)

    def _add_resolver(self, resolver, where_of):
        for inv in resolver.invocations:
            self._add_program(inv.program, where_of(inv.line) + (f" ({inv.how})" if inv.how else ""))
        for line, code in resolver.python_code:
            for module in python_imports_in_code(code):
                self.add("module", (module,), where_of(line) + " (python3 -c)")
        self.skipped += [f"{where_of(line)}: {why}" for line, why in resolver.skipped]

    # ---- CMake ----
    def _read_cmake(self):
        for path in self._files(".", (".cmake",), ("CMakeLists.txt",)):
            rel = self._rel(path)
            self.scanned.append(rel)
            self.cmake += cmake_commands(path.read_text(), rel)
        for cmd in self.cmake:
            if cmd.name == "add_executable" and cmd.args and "IMPORTED" not in cmd.args:
                self.own.add(cmd.args[0])
            for arg in cmd.args:
                m = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", arg, re.S)
                if m and cmd.name in ("target_compile_definitions", "add_compile_definitions", "set"):
                    self.definitions[m.group(1)] = m.group(2).strip('"')
            if cmd.name == "find_program" and len(cmd.args) >= 2:
                self._find_program(cmd)

    def _find_program(self, cmd):
        var, rest = cmd.args[0], cmd.args[1:]
        names, dirs, section = [], [], "NAMES"
        if rest[0] != "NAMES":
            names.append(rest[0])
            rest, section = rest[1:], "PATHS"
        for arg in rest:
            if arg in FIND_PROGRAM_KEYWORDS:
                section = arg
            elif section == "NAMES":
                names.append(arg)
            elif section in ("PATHS", "HINTS") and "$" not in arg:
                dirs.append(arg)
        self.find_programs[var] = self.add("program", names, f"{cmd.file}:{cmd.line} find_program({var})",
                                           dirs=dirs)

    def _substitute(self, text):
        def program(m):
            var = m.group(1)
            if var in CMAKE_PROGRAM_VARIABLES:
                return CMAKE_PROGRAM_VARIABLES[var]
            return self.find_programs[var].names[0] if var in self.find_programs else m.group(0)
        return re.sub(r"\$\{(\w+)\}", program, text)

    def _cmake_word(self, arg):
        if arg in self.own:
            return Word(f"<target:{arg}>")
        m = re.fullmatch(r"\$<TARGET_FILE:([^>]+)>", arg)
        if m:
            target = m.group(1)
            if target.startswith(("Qt6::", "Qt::")):
                self.qt_tools.add(target.split("::", 1)[1])
                return Word(target.split("::", 1)[1])
            return Word(f"<target:{target}>")
        for var in CMAKE_TREE_VARIABLES:
            if arg.startswith("${" + var + "}/"):
                return Word("./" + arg[len(var) + 4:])
        text = self._substitute(arg)
        return Word(text, "${" in text or "$<" in text)

    def _command_groups(self, cmd):
        args = cmd.args
        if cmd.name == "add_test" and args and args[0] != "NAME":
            return [args[1:]]
        if cmd.name == "add_custom_target" and len(args) > 1:
            start = 2 if args[1] == "ALL" else 1
            if start < len(args) and args[start] not in COMMAND_KEYWORDS:
                args = args[:start] + ["COMMAND"] + args[start:]
        groups, current = [], None
        for arg in args:
            if arg == "COMMAND":
                current = []
                groups.append(current)
            elif arg in COMMAND_KEYWORDS:
                current = None
            elif current is not None:
                current.append(arg)
        return groups

    def _scan_cmake_commands(self):
        for cmd in self.cmake:
            if cmd.name not in ("add_test", "add_custom_command", "add_custom_target", "execute_process"):
                continue
            for group in self._command_groups(cmd):
                resolver = CommandResolver(own_executables=self.own)
                resolver.resolve([self._cmake_word(a) for a in group], cmd.line)
                label = f"{cmd.name}({cmd.args[1] if cmd.args[:1] == ['NAME'] else cmd.args[0]})"
                self._add_resolver(resolver, lambda line: f"{cmd.file}:{line} {label}")

    # ---- scripts ----
    def _scan_shell_scripts(self):
        scripts = [p for p in [self.root / ".ci/run"] if p.exists()] + self._files("packaging", (".sh",)) \
            + self._files("tests", (".sh",))
        for path in scripts:
            rel = self._rel(path)
            if rel in NOT_SCANNED:
                self.not_scanned.append((rel, NOT_SCANNED[rel]))
                continue
            self.scanned.append(rel)
            text = path.read_text()
            self._shebang(text, rel)
            self._add_resolver(scan_shell(text, self.own), lambda line: f"{rel}:{line}")

    def _shebang(self, text, rel):
        m = re.match(r"#!\s*(\S+)(?:\s+(\S+))?", text)
        if m:
            self._add_program(m.group(1), f"{rel}:1 #!")
            if m.group(1).endswith("/env") and m.group(2):
                self._add_program(m.group(2), f"{rel}:1 #!")

    def _scan_python_files(self):
        files = self._files("tests", (".py",))
        # Shared fixtures (tests/fixtures/*.py) are imported from other folders through sys.path.
        own = {p.stem for p in files}
        for path in files:
            rel = self._rel(path)
            self.scanned.append(rel)
            self._shebang(path.read_text(), rel)
            for module, line, optional in python_file_imports(path):
                if module in own or (path.parent / module).is_dir():
                    self.skipped.append(f"{rel}:{line}: {module}: the project's own module")
                elif optional:
                    self.skipped.append(f"{rel}:{line}: {module}: optional (ImportError is caught)")
                else:
                    self.add("module", (module,), f"{rel}:{line}")

    # ---- C++ test sources ----
    def _cpp_first_argument(self, text, i):
        """The first argument of the call whose '(' is at text[i]."""
        depth, j = 0, i
        while j < len(text):
            c = text[j]
            if c == '"':
                j = re.compile(r'"(?:\\.|[^"\\])*"').match(text, j).end()
                continue
            if c in "({[":
                depth += 1
            elif c in ")}]":
                depth -= 1
                if depth == 0:
                    break
            elif c == "," and depth == 1:
                break
            j += 1
        return text[i + 1:j].strip()

    def _cpp_string(self, expr, text, depth=0):
        """The text a C++ expression of a test stands for: string literals, compile definitions,
        variables initialised in the same file (const char kPython[] = "...", a QString from
        QStandardPaths::findExecutable("...")), joined; None when it cannot tell."""
        expr = expr.strip()
        while True:
            m = re.fullmatch(r"(?:QStringLiteral|QString|QLatin1String|QString::fromUtf8|QString::fromLatin1|"
                             r"QStandardPaths::findExecutable)\s*\((.*)\)", expr, re.S)
            if not m:
                break
            expr = m.group(1).strip()
        parts = re.findall(r'"((?:\\.|[^"\\])*)"|([A-Za-z_]\w*)', expr)
        if not parts or re.sub(r'"(?:\\.|[^"\\])*"|[A-Za-z_]\w*|\s', "", expr) or depth > 4:
            return None
        value = ""
        for literal, ident in parts:
            if not ident:
                value += literal
            elif ident in self.definitions:
                value += self.definitions[ident]
            else:
                init = re.search(r"\b" + ident + r"\s*(?:\[\s*\])?\s*=(?!=)\s*([^;]+);", text)
                inner = self._cpp_string(init.group(1), text, depth + 1) if init else None
                if inner is None:
                    return None
                value += inner
        return value

    def _cpp_program(self, expr, text):
        """What a QProcess program expression names: ("name"|"path"|"own"|None, value)."""
        value = self._cpp_string(expr, text)
        if value is None:
            return None, expr
        target = re.fullmatch(r"\$<TARGET_FILE:([^>]+)>", value)
        if target:
            word = self._cmake_word(value)
            return ("own", value) if word.text.startswith("<target:") else ("name", word.text)
        variable = re.fullmatch(r"\$\{(\w+)\}", value)
        if variable and variable.group(1) in self.find_programs:
            return "name", self.find_programs[variable.group(1)].names[0]
        if value.startswith("/"):
            return "path", value
        if COMMAND_NAME.fullmatch(value):
            return "name", value
        return None, expr

    def _scan_cpp_tests(self):
        for path in self._files("tests", (".cpp", ".h")):
            rel, text = self._rel(path), path.read_text()
            self.scanned.append(rel)
            line_of = lambda pos: text.count("\n", 0, pos) + 1  # noqa: E731
            processes = set(re.findall(r"\bQProcess\s*&?\s*(\w+)\s*[;({=]", text))
            starts = [m for m in re.finditer(r"\b(\w+)\s*\.\s*(?:start|setProgram)\s*(?=\()", text)
                      if m.group(1) in processes]
            starts += list(re.finditer(r"\bQProcess::(?:execute|startDetached)\s*(?=\()", text))
            runs_python = False
            for m in starts:
                expr = self._cpp_first_argument(text, m.end())
                kind, value = self._cpp_program(expr, text)
                where = f"{rel}:{line_of(m.start())} QProcess"
                if kind is None:
                    self.unresolved.append(f"{where} starts {expr!r}: the check cannot tell which "
                                           f"program that is (name it by a literal or a compile definition)")
                elif kind == "own":
                    self.skipped.append(f"{where}: {value}: the project's own executable")
                else:
                    self._add_program(value, where)
                    runs_python |= bool(re.fullmatch(r"python3(\.\d+)?", value.rsplit("/", 1)[-1]))
            for m in re.finditer(r'findExecutable\s*\(\s*(?:QStringLiteral\s*\()?\s*"([^"]+)"', text):
                self._add_program(m.group(1), f"{rel}:{line_of(m.start())} findExecutable")
            for m in re.finditer(r'"((?:/usr)?/s?bin/[A-Za-z0-9_.+-]+)"', text):
                self._add_program(m.group(1), f"{rel}:{line_of(m.start())} literal path")
            if runs_python:
                for literal, line in cpp_string_literals(text):
                    for module in python_imports_in_code(literal):
                        self.add("module", (module,), f"{rel}:{line} (Python run by the test)")

    # ---- what settings imply ----
    def _set_on(self, variable):
        return next((c for c in self.cmake if c.values(variable)[:1] and _on(c.values(variable)[0])), None)

    def _property_on(self, prop):
        for c in self.cmake:
            if c.values("CMAKE_" + prop)[:1] and _on(c.values("CMAKE_" + prop)[0]):
                return c
            if c.name in ("set_target_properties", "set_property", "set_source_files_properties"):
                for a, b in zip(c.args, c.args[1:]):
                    if a == prop and _on(b):
                        return c
        return None

    def _called(self, *names):
        return next((c for c in self.cmake if c.name in names), None)

    def _languages(self):
        for c in self.cmake:
            if c.name == "project":
                langs = c.args[c.args.index("LANGUAGES") + 1:] if "LANGUAGES" in c.args else ["C", "CXX"]
                return c, langs
        return None, []

    def _apply_implied(self):
        deb = any("DEB" in c.values("CPACK_GENERATOR") for c in self.cmake)
        shlibdeps = self._set_on("CPACK_DEBIAN_PACKAGE_SHLIBDEPS") if deb else None
        project, languages = self._languages()
        cxx = project if "CXX" in languages else self._called("enable_language")
        for trigger, what, programs in IMPLIED:
            command = {
                "shlibdeps": shlibdeps, "strip": self._set_on("CPACK_STRIP_FILES"),
                "automoc": self._property_on("AUTOMOC"), "autorcc": self._property_on("AUTORCC"),
                "autouic": self._property_on("AUTOUIC"),
                "lrelease": self._called("qt_add_translations", "qt6_add_translations", "qt_add_lrelease",
                                         "qt6_add_lrelease"),
                "pkgconfig": next((c for c in self.cmake if c.name == "find_package"
                                   and c.args[:1] == ["PkgConfig"]), None),
                "cxx": cxx,
            }[trigger]
            if not command:
                continue
            for program, why in programs:
                if program in ("moc", "rcc", "uic", "lrelease"):
                    self.qt_tools.add(program)
                self._add_program(program, f"{command.file}:{command.line} {what}: {why}")
        presets = self.root / "CMakePresets.json"
        if presets.exists():
            self.scanned.append("CMakePresets.json")
            for preset in json.loads(presets.read_text()).get("configurePresets", []):
                generator = preset.get("generator", "")
                generator = generator.replace(" Multi-Config", "")
                program = {"Ninja": "ninja", "Unix Makefiles": "make"}.get(generator)
                if program:
                    self._add_program(program, f"CMakePresets.json preset {preset['name']}: "
                                               f"the {generator} generator runs {program}")


# Programs that CMake settings imply without naming them: (trigger, the setting, [(program, why)]).
IMPLIED = [
    ("shlibdeps", "CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON (CPack DEB)",
     [("file", "CPackDeb runs file on every packaged file to find the ELF binaries"),
      ("dpkg-shlibdeps", "CPackDeb computes the package's Depends with dpkg-shlibdeps"),
      ("objdump", "dpkg-shlibdeps reads the binaries with objdump")]),
    ("strip", "CPACK_STRIP_FILES ON", [("strip", "CPack strips the installed binaries")]),
    ("automoc", "AUTOMOC ON", [("moc", "Qt's meta-object compiler runs on the Q_OBJECT headers")]),
    ("autorcc", "AUTORCC ON", [("rcc", "Qt's resource compiler builds the .qrc files")]),
    ("autouic", "AUTOUIC ON", [("uic", "Qt's UI compiler builds the .ui files")]),
    ("lrelease", "qt_add_translations", [("lrelease", "compiles the .ts catalogues at build time")]),
    ("pkgconfig", "find_package(PkgConfig)", [("pkg-config", "pkg_check_modules runs pkg-config")]),
    ("cxx", "LANGUAGES CXX", [("c++", "the C++ compiler"), ("as", "the compiler's assembler"),
                              ("ld", "the compiler's linker")]),
]
